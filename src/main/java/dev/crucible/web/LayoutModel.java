package dev.crucible.web;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's layout shows: the version in the footer. */
@ControllerAdvice(annotations = Controller.class)
class LayoutModel {

    private final String version;

    LayoutModel(ObjectProvider<BuildProperties> build) {
        this.version = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion).orElse("dev");
    }

    @ModelAttribute("version")
    String version() {
        return version;
    }
}
