package dev.crucible.openapi;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Describes every field of the document that has no description of its own, from one glossary
 * ({@value #GLOSSARY}): a name such as {@code runtime_ms} means the same in every answer, so it
 * is explained once instead of on each of the records that carry it. After {@link StandardResponses},
 * which adds the error bodies.
 */
@Component
@Order(20)
class FieldDescriptions implements OpenApiCustomizer {

    static final String GLOSSARY = "openapi/fields.properties";

    private final Properties glossary = load();

    static Properties load() {
        Properties properties = new Properties();
        try (Reader in = new InputStreamReader(new ClassPathResource(GLOSSARY).getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void customise(OpenAPI api) {
        Map<String, Schema> schemas = api.getComponents().getSchemas();
        schemas.forEach((name, schema) -> {
            if (isBlank(schema.getDescription())) {
                schema.setDescription(glossary.getProperty("schema." + name));
            }
            Map<String, Schema> properties = schema.getProperties();
            if (properties == null) {
                return;
            }
            properties.forEach((field, property) -> {
                if (isBlank(property.getDescription()) && property.get$ref() == null) {
                    property.setDescription(glossary.getProperty(name + "." + field, glossary.getProperty(field)));
                }
            });
        });
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
