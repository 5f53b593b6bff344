package dev.crucible.evaluation;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * A JSON number or boolean is not a string: {@code {"code": 5}} is refused (422 naming the field)
 * instead of running the program {@code 5}, as the original platform's pydantic models refused it.
 * Jackson already refuses arrays, objects and fractions where an integer is expected; numeric
 * strings for integers stay accepted, as pydantic's lax mode takes them.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonTypes {

    @Bean
    JsonMapperBuilderCustomizer noScalarsAsStrings() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
