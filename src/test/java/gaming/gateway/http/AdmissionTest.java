package gaming.gateway.http;

import gaming.gateway.observe.AccessLog;
import gaming.gateway.observe.GatewayMetrics;
import gaming.testing.AccessLogCapture;
import gaming.testing.Awaits;
import gaming.testing.Problems;

import com.google.protobuf.Struct;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.LogConfig;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Logger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Requests {@link Admission} turns away (overload, drain) are recorded like any other: in the
 * meters of the route their path matches and in the access log. Through Helidon's in-memory
 * {@link DirectClient}: no server, no socket.
 */
class AdmissionTest {
    private final String route = "admission-" + UUID.randomUUID();
    private final Logger accessLogger = Logger.getLogger(AccessLog.LOGGER_NAME);
    private Handler[] handlers;
    private AccessLogCapture capture;
    private boolean useParentHandlers;
    private GatewayMetrics metrics;
    private Admission admission;
    private DirectClient client;

    @BeforeEach
    void setUp() {
        LogConfig.configureRuntime();
        // lines through the logger to the capture, not straight to the packaged stdout handler
        handlers = accessLogger.getHandlers();
        useParentHandlers = accessLogger.getUseParentHandlers();
        for (Handler handler : handlers) {
            accessLogger.removeHandler(handler);
        }
        accessLogger.setUseParentHandlers(false);
        capture = new AccessLogCapture();
        metrics = GatewayMetrics.create(true, AccessLog.create(true));
        admission = new Admission(1, new PathMeters(metrics.noRoute()).add("/quest/{id}", metrics.route(route, false)));
        HttpRouting.Builder routing = HttpRouting.builder();
        ErrorHandlers.register(routing);
        routing.addFilter(admission)
                .post("/quest/{id}", (req, res) -> res.send("ok"));
        client = new DirectClient(routing);
    }

    @AfterEach
    void tearDown() {
        client.close();
        metrics.close();
        capture.close();
        for (Handler handler : handlers) {
            accessLogger.addHandler(handler);
        }
        accessLogger.setUseParentHandlers(useParentHandlers);
    }

    @Test
    void drainIs503WithConnectionCloseCountedForItsRouteAndLogged() {
        admission.drain();
        try (HttpClientResponse res = client.post("/quest/7").submit("{}")) {
            assertThat(res.status().code(), is(503));
            assertThat(res.headers().first(HeaderNames.CONNECTION).orElseThrow(), is("close"));
            assertThat(res.headers().first(HeaderNames.RETRY_AFTER).orElseThrow(), is("1"));
            Struct problem = Problems.parse(res.as(String.class));
            assertThat(problem.getFieldsOrThrow("code").getStringValue(), is("UNAVAILABLE"));
            assertThat(problem.getFieldsOrThrow("status").getNumberValue(), is(503.0));
        }
        // the access log line is written after the route's meters (Exchange.end): once it is there, all are
        String line = lineWith("\"status\":503");
        assertThat(count("gateway.requests"), is(1L));
        assertThat(timerCount("503"), is(1L));
        assertThat(count("gateway.errors", "code", "UNAVAILABLE"), is(1L));
        assertThat(line, containsString("\"route\":\"" + route + "\""));
        assertThat(line, containsString("\"error\":\"UNAVAILABLE\""));
    }

    private String lineWith(String text) {
        Awaits.until(() -> capture.lines.stream().anyMatch(l -> l.contains(text) && l.contains(route)),
                     Duration.ofSeconds(20), "an access log line with " + text);
        return capture.lines.stream().filter(l -> l.contains(text) && l.contains(route)).findFirst().orElseThrow();
    }

    private long count(String name, String... tag) {
        List<Tag> tags = tag.length == 0
                ? List.of(Tag.create("route", route))
                : List.of(Tag.create("route", route), Tag.create(tag[0], tag[1]));
        MeterRegistry registry = metrics.registry().orElseThrow();
        return registry.counter(name, tags).map(c -> c.count()).orElse(0L);
    }

    private long timerCount(String status) {
        MeterRegistry registry = metrics.registry().orElseThrow();
        return registry.timer("gateway.request.duration", List.of(Tag.create("route", route), Tag.create("status", status)))
                .map(t -> t.count())
                .orElse(0L);
    }
}
