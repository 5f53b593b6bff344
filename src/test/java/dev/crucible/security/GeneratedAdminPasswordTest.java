package dev.crucible.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;

import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.crucible.support.TempStorageInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;

/** Without CRUCIBLE_ADMIN_PASSWORD the first start makes a password, prints it once and keeps only its hash. */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = {"crucible.docker.host=unix:///nonexistent/docker.sock", "spring.main.banner-mode=off",
        "crucible.admin.username=root-of-test"})
@AutoConfigureMockMvc
@ContextConfiguration(initializers = TempStorageInitializer.class)
class GeneratedAdminPasswordTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Test
    void theGeneratedPasswordIsPrintedOnceAndWorks(CapturedOutput output) throws Exception {
        // this class's context is its own (its properties differ), so it starts inside the capture
        String log = output.getAll();
        Matcher printed = Pattern.compile("\\(user 'root-of-test'\\):\\s+(\\S{24})").matcher(log);
        assertThat(printed.find()).as("the generated password is in the log").isTrue();
        String password = printed.group(1);
        mvc.perform(formLogin("/login").user("root-of-test").password(password)).andExpect(authenticated());
        assertThat(jdbc.sql("SELECT password_hash FROM admin_account WHERE username = 'root-of-test'").query(String.class).single())
                .startsWith("{bcrypt}").doesNotContain(password);

        // a later start on the same database keeps the stored password and prints nothing
        int before = output.getAll().length();
        new AdminAccount(jdbc, encoder, new AdminProperties("root-of-test", null, 5, java.time.Duration.ofSeconds(30)), Clock.systemUTC());
        assertThat(output.getAll().substring(before)).doesNotContain("made an admin password");
        assertThat(Pattern.compile("made an admin password").matcher(output.getAll()).results().count()).isEqualTo(1);
    }
}
