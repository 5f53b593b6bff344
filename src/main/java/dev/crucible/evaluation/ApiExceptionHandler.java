package dev.crucible.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.crucible.storage.StorageFullException;
import dev.crucible.storage.StorageSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns failures into the error bodies the original platform's clients know: validation errors as
 * FastAPI's {@code 422 {"detail": [{"type", "loc", "msg", "input"}]}}, everything else as
 * {@code {"detail": "...", "error": "..."}} (some endpoints of the original used one key, some the
 * other). Bad input is always a 4xx; a 5xx never carries a stack trace. Every error body is JSON,
 * whatever the request's Accept header asked for (an event stream's client asks for
 * {@code text/event-stream} only, and a 404 must still reach it as one, not fail as a 500).
 */
@RestControllerAdvice(annotations = RestController.class)
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidSubmissionException.class)
    ResponseEntity<Object> invalid(InvalidSubmissionException e) {
        return unprocessable("body", e.problems());
    }

    @ExceptionHandler(InvalidQueryException.class)
    ResponseEntity<Object> invalidQuery(InvalidQueryException e) {
        return unprocessable("query", e.problems());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> queryType(MethodArgumentTypeMismatchException e) {
        return unprocessable("query", List.of(new InvalidSubmissionException.Problem(e.getName(), "type_error",
                "Input should be a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName().toLowerCase()),
                e.getValue())));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingQuery(MissingServletRequestParameterException e) {
        return unprocessable("query", List.of(new InvalidSubmissionException.Problem(e.getParameterName(), "missing",
                "Field required", null)));
    }

    @ExceptionHandler(MismatchedInputException.class)
    ResponseEntity<Object> wrongType(MismatchedInputException e) {
        String field = field(e);
        String message = field.isEmpty() ? "Input should be a valid dictionary (a JSON object)"
                : "Input should be a valid " + expected(e.getTargetType());
        return unprocessable("body", List.of(new InvalidSubmissionException.Problem(field,
                field.isEmpty() ? "dict_type" : "type_error", message, null)));
    }

    @ExceptionHandler(InputCoercionException.class)
    ResponseEntity<Object> numberOutOfRange(InputCoercionException e) {
        String field = field(e);
        return unprocessable("body", List.of(new InvalidSubmissionException.Problem(field, "int_parsing",
                "Input should be a valid integer within range", null)));
    }

    @ExceptionHandler(StreamReadException.class)
    ResponseEntity<Object> malformed(StreamReadException e) {
        return message(HttpStatus.BAD_REQUEST, "Malformed JSON: " + e.getOriginalMessage());
    }

    @ExceptionHandler(StreamConstraintsException.class)
    ResponseEntity<Object> tooComplex(StreamConstraintsException e) {
        return message(HttpStatus.BAD_REQUEST, "Malformed JSON: " + e.getOriginalMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof MismatchedInputException mismatch) {
            return wrongType(mismatch);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeLimit.BodyTooLargeException tooLarge) {
                return message(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
            }
        }
        return message(HttpStatus.BAD_REQUEST, "Malformed request body");
    }

    @ExceptionHandler(SubmissionTooLargeException.class)
    ResponseEntity<Object> tooLarge(SubmissionTooLargeException e) {
        return message(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<Object> queueFull(QueueFullException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, "30")
                .body(body(e.getMessage()));
    }

    @ExceptionHandler(StorageFullException.class)
    ResponseEntity<Object> storageFull(StorageFullException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, "60")
                .body(body(e.getMessage()));
    }

    /**
     * The database does not answer (down, restarting, or every connection busy past the pool's
     * connection timeout): nothing was stored, and the client may try again shortly.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<Object> databaseUnavailable(RuntimeException e) {
        log.warn("The database did not answer a request: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
                .body(body(DatabaseOutage.MESSAGE));
    }

    @ExceptionHandler(EvaluationNotFoundException.class)
    ResponseEntity<Object> notFound(EvaluationNotFoundException e) {
        return message(HttpStatus.NOT_FOUND, "Evaluation not found");
    }

    @ExceptionHandler(ArtifactNotFoundException.class)
    ResponseEntity<Object> noSuchArtifact(ArtifactNotFoundException e) {
        return message(HttpStatus.NOT_FOUND, "Artifact not found");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noSuchPath(NoResourceFoundException e) {
        return message(HttpStatus.NOT_FOUND, "Not found: /" + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
        return message(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " not allowed here");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e) {
        return message(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type: " + e.getContentType());
    }

    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e) {
        // the client hung up while waiting; nothing to answer
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        if (StorageSpace.isNoSpace(e)) {
            // the disk filled up between the free-space check and the write
            return storageFull(new StorageFullException("storage full: the storage folder has no space left; "
                    + "new work is refused until space is freed"));
        }
        log.error("Unexpected failure while answering an API request", e);
        return message(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; the platform's log has the details");
    }

    private static String field(JacksonException e) {
        return e.getPath().stream()
                .map(JacksonException.Reference::getPropertyName)
                .filter(name -> name != null)
                .reduce((a, b) -> a + "." + b)
                .orElse("");
    }

    private static ResponseEntity<Object> unprocessable(String location, List<InvalidSubmissionException.Problem> problems) {
        List<Map<String, Object>> detail = new ArrayList<>();
        for (InvalidSubmissionException.Problem p : problems) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", p.type());
            item.put("loc", p.field().isEmpty() ? List.of(location) : List.of(location, p.field()));
            item.put("msg", p.message());
            item.put("input", p.input());
            detail.add(item);
        }
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("detail", detail));
    }

    private static ResponseEntity<Object> message(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(message));
    }

    private static Map<String, Object> body(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", message);
        body.put("error", message);
        return body;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == String.class) {
            return "string";
        }
        return type.getSimpleName().toLowerCase();
    }
}
