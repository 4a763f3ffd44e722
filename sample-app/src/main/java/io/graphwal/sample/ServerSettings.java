package io.graphwal.sample;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import tools.jackson.databind.json.JsonMapper;

/**
 * Guards the web server against hostile requests: a request body limit ahead of every other filter, a body
 * refused by its declared length before the client sends it, and Tomcat's own error page replaced by a
 * problem detail, so that no error answers in HTML.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class ServerSettings {

    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(SampleProperties properties) {
        FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(
                new RequestSizeLimit(properties.maxRequestSize().toBytes()));
        // First of all filters: any filter before it that read the body (form parameters, say) would be unbounded.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve(JsonMapper json) {
        return new ProblemReportValveCustomizer(json);
    }

    /**
     * Puts a {@link ProblemReportValve} on the host in place of any {@link ErrorReportValve}, and makes the
     * connector ask for a request body only when the application reads it. Ordered last, so that it runs after
     * Spring Boot's own customizer, which adds a plain {@code ErrorReportValve}.
     */
    static final class ProblemReportValveCustomizer
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final JsonMapper json;

        ProblemReportValveCustomizer(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            // Tomcat sends "100 Continue" as soon as it has read the headers by default, inviting a client to
            // send a body that the size limit will refuse by its Content-Length; asked for only once the
            // application reads the body, a client that waits for it is refused before it sends a byte.
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setContinueResponseTiming("onRead");
                }
            });
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemReportValve(json));
                // The host adds a valve of this class when it starts unless one is there: ours is.
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
