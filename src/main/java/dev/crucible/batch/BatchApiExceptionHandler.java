package dev.crucible.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * The batch API's own refusals, in the API's error shape; consulted before the general API
 * handler (which turns everything else, validation included, into its usual answers).
 */
@RestControllerAdvice(assignableTypes = BatchController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BatchApiExceptionHandler {

    private final MultipartProperties multipart;

    BatchApiExceptionHandler(MultipartProperties multipart) {
        this.multipart = multipart;
    }

    @ExceptionHandler(BadArchiveException.class)
    ResponseEntity<Object> badArchive(BadArchiveException e) {
        return ResponseEntity.status(e.status()).body(body(e.getMessage()));
    }

    @ExceptionHandler(BatchNotFoundException.class)
    ResponseEntity<Object> notFound(BatchNotFoundException e) {
        return ResponseEntity.status(404).contentType(MediaType.APPLICATION_JSON).body(body("Batch not found"));
    }

    @ExceptionHandler(BatchStateException.class)
    ResponseEntity<Object> conflict(BatchStateException e) {
        return ResponseEntity.status(409).contentType(MediaType.APPLICATION_JSON).body(body(e.getMessage()));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> tooLarge(MaxUploadSizeExceededException e) {
        boolean wholeRequest = multipart.getMaxRequestSize().compareTo(multipart.getMaxFileSize()) <= 0;
        String message = "The upload is larger than the platform accepts: at most "
                + (wholeRequest ? readable(multipart.getMaxRequestSize()) + " (spring.servlet.multipart.max-request-size)"
                        : readable(multipart.getMaxFileSize()) + " per file (spring.servlet.multipart.max-file-size)");
        return ResponseEntity.status(413).contentType(MediaType.APPLICATION_JSON).body(body(message));
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> notMultipart(MultipartException e) {
        return ResponseEntity.status(400).contentType(MediaType.APPLICATION_JSON).body(body("send the upload as multipart/form-data: " + e.getMessage()));
    }

    /** 256MB, 512KB or 1000B, as the setting is written. */
    static String readable(org.springframework.util.unit.DataSize size) {
        long bytes = size.toBytes();
        if (bytes > 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        return bytes > 0 && bytes % 1024 == 0 ? bytes / 1024 + "KB" : bytes + "B";
    }

    private static Map<String, Object> body(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", message);
        body.put("error", message);
        return body;
    }
}
