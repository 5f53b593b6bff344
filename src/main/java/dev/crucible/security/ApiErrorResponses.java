package dev.crucible.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

/** The API's error body, {@code {"detail": ..., "error": ...}}, written before Spring MVC is reached. */
final class ApiErrorResponses {

    static final String HOW_TO_GET_A_KEY = "Send an API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'. "
            + "An admin creates keys on the API keys page (/keys) of the web UI, or sets CRUCIBLE_API_TOKEN.";

    private ApiErrorResponses() {
    }

    static void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"crucible\"");
        }
        String quoted = quote(message);
        response.getOutputStream().write(("{\"detail\":" + quoted + ",\"error\":" + quoted + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
