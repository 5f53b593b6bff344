package dev.crucible.web;

import jakarta.servlet.http.HttpServletRequest;

/** What htmx tells the server about a request it made. */
final class Htmx {

    private Htmx() {
    }

    /** True for a partial request htmx made (answer with a fragment, not a page). */
    static boolean isPartial(HttpServletRequest request) {
        return "true".equals(request.getHeader("HX-Request")) && !"true".equals(request.getHeader("HX-History-Restore-Request"));
    }
}
