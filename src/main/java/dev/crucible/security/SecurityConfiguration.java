package dev.crucible.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. The web UI needs the admin's login (form login, CSRF on every form, sessions
 * that expire). The API needs a key, or the admin's session, or, while no key exists at all, a
 * client on this machine (protected mode). Failed sign-ins are throttled per user and address.
 * Health stays open (its details for this machine, keys and the admin only). Every answer carries a content
 * security policy without inline script, nosniff and frame denial.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /**
     * The API, its OpenAPI document and the Prometheus scrape, which the admin and API keys may
     * read (not strangers). The document's browsable UI ({@code /swagger-ui}) is the admin's.
     */
    private static final RequestMatcher API = request -> isApi(request.getRequestURI());

    static boolean isApi(String uri) {
        return uri.startsWith("/api/") || uri.equals("/v3/api-docs") || uri.startsWith("/v3/api-docs/")
                || uri.equals("/actuator/prometheus");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiKeys keys, LoginThrottle throttle) throws Exception {
        ApiKeyFilter apiKeyFilter = new ApiKeyFilter(keys);
        SimpleUrlAuthenticationFailureHandler failed = new SimpleUrlAuthenticationFailureHandler("/login?error");
        SavedRequestAwareAuthenticationSuccessHandler succeeded = new SavedRequestAwareAuthenticationSuccessHandler();
        succeeded.setDefaultTargetUrl("/");
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/health", "/api/health", "/actuator/health", "/actuator/health/**",
                                "/login", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico", "/favicon.svg").permitAll()
                        .requestMatchers(API).hasAnyRole(Roles.API, Roles.ADMIN)
                        .anyRequest().hasRole(Roles.ADMIN))
                .addFilterBefore(apiKeyFilter, AnonymousAuthenticationFilter.class)
                .addFilterAfter(new ProtectedModeFilter(keys), ApiKeyFilter.class)
                .addFilterBefore(new LoginThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                .formLogin(form -> form.loginPage("/login").permitAll()
                        .failureHandler((request, response, failure) -> {
                            throttle.failed(String.valueOf(request.getParameter("username")), request.getRemoteAddr());
                            failed.onAuthenticationFailure(request, response, failure);
                        })
                        .successHandler((request, response, authentication) -> {
                            throttle.succeeded(String.valueOf(request.getParameter("username")), request.getRemoteAddr());
                            succeeded.onAuthenticationSuccess(request, response, authentication);
                        }))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                // A request with a key, or without any session, cannot be a cross-site forgery of
                // the admin's session; everything else (the web UI's forms) needs the CSRF token.
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> API.matches(request)
                        && (ApiKeyFilter.presentedKey(request) != null || request.getRequestedSessionId() == null)))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(apiEntryPoint(keys), API)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                request -> !API.matches(request))
                        .defaultAccessDeniedHandlerFor(apiAccessDenied(), API))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.deny()));
        return http.build();
    }

    private static AuthenticationEntryPoint apiEntryPoint(ApiKeys keys) {
        return (request, response, failure) -> {
            String message = keys.anyConfigured()
                    ? "An API key is required. " + ApiErrorResponses.HOW_TO_GET_A_KEY
                    : "No API key exists yet, so the API answers only clients on the platform's own machine "
                            + "(protected mode). " + ApiErrorResponses.HOW_TO_GET_A_KEY;
            ApiErrorResponses.write(response, 401, message);
        };
    }

    private static AccessDeniedHandler apiAccessDenied() {
        return (request, response, denied) -> ApiErrorResponses.write(response, 403,
                "Forbidden: " + (isCsrf(request, denied) ? "the CSRF token of your session is missing or wrong" : denied.getMessage()));
    }

    private static boolean isCsrf(HttpServletRequest request, Exception denied) {
        return denied.getClass().getSimpleName().contains("Csrf");
    }
}
