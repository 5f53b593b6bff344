package dev.crucible.web;

import dev.crucible.security.ApiKeys;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The API keys page: make a key (its secret is shown this once), see who has one, revoke it. */
@Controller
class ApiKeysController {

    private final ApiKeys keys;

    ApiKeysController(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping("/keys")
    String list(Model model) {
        model.addAttribute("keys", keys.list());
        return "keys";
    }

    @PostMapping("/keys")
    String create(@RequestParam String name, RedirectAttributes redirect) {
        if (name == null || name.isBlank() || name.length() > 100) {
            redirect.addFlashAttribute("error", "A key needs a name of 1 to 100 characters (who or what uses it).");
            return "redirect:/keys";
        }
        ApiKeys.Created created = keys.create(name);
        redirect.addFlashAttribute("created", created);
        return "redirect:/keys";
    }

    @PostMapping("/keys/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes redirect) {
        if (keys.revoke(id)) {
            redirect.addFlashAttribute("message", "The key was revoked: requests that send it are refused from now on.");
        } else {
            redirect.addFlashAttribute("error", "That key was already revoked.");
        }
        return "redirect:/keys";
    }
}
