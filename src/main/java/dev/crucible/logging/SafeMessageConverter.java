package dev.crucible.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * The log message ({@code %m}) with every argument's control characters escaped: an evaluation
 * id, a file name or an error text that came from a user cannot start a forged log line (a
 * newline), rewrite the terminal (an escape sequence) or hide text (a carriage return). The
 * message pattern itself is the platform's own text and keeps its line breaks.
 * Wired in {@code logback-spring.xml}.
 */
public class SafeMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments == null || arguments.length == 0) {
            return event.getFormattedMessage();
        }
        Object[] safe = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            safe[i] = arguments[i] == null ? null : escape(String.valueOf(arguments[i]));
        }
        return MessageFormatter.arrayFormat(event.getMessage(), safe).getMessage();
    }

    /** C0 and C1 controls, DEL and the Unicode line separators as {@code \\uXXXX} (tab kept). */
    public static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
