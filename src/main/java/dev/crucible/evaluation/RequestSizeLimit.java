package dev.crucible.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of a submission before anything reads it into memory: a declared length over
 * the bound is answered 413 at once, and a chunked body is cut off (413) when it passes it. The
 * bound leaves room for JSON escapes, which can make a 1 MiB program six times longer on the wire.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

    /** The body passed the bound while it was being read. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("Request body too large: at most " + limit + " bytes");
        }
    }

    /** The JSON batch form (POST /api/eval-batch) may carry many programs, within this bound. */
    static final long BATCH_LIMIT = 64L << 20;

    private final long limit;

    RequestSizeLimit(LimitsProperties limits) {
        this.limit = 6 * (limits.maxCodeSize().toBytes() + limits.maxStdinSize().toBytes()) + 65536;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !(request.getRequestURI().equals("/api/eval") || request.getRequestURI().equals("/api/eval-batch"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = request.getRequestURI().equals("/api/eval-batch") ? BATCH_LIMIT : this.limit;
        if (request.getContentLengthLong() > limit) {
            String message = new BodyTooLargeException(limit).getMessage();
            response.setStatus(413);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"detail\":\"" + message + "\",\"error\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Bounded(request, limit), response);
    }

    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long read;

        Counting(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n);
        }
    }
}
