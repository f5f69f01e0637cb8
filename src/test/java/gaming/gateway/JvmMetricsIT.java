package gaming.gateway;

import gaming.testing.Awaits;
import gaming.testing.Http;
import gaming.testing.Metrics;
import gaming.testing.NatsServer;
import gaming.testing.TestGateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} carries the JVM and process series under Micrometer's conventional names (issue
 * 12, item 18): memory, GC, threads, class loading, CPU, open file descriptors, uptime.
 */
class JvmMetricsIT {
    @Test
    void jvmAndProcessSeriesAreScraped() {
        try (NatsServer nats = NatsServer.start();
             Gateway gateway = TestGateway.start(nats.url(), Map.of())) {
            Http http = new Http(gateway.port());
            // a collection the test asks for is timed under its own cause (the listener runs on the JVM's notification thread)
            System.gc();
            Awaits.until(() -> Metrics.scrape(http).value("jvm_gc_pause_seconds_count", "cause", "System.gc()") >= 1,
                         Duration.ofSeconds(30), "a jvm_gc_pause_seconds sample with cause System.gc()");
            Metrics m = Metrics.scrape(http);
            List<String> series = List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_pause_seconds_count",
                                          "jvm_threads_live_threads", "jvm_threads_peak_threads", "jvm_classes_loaded_classes",
                                          "process_cpu_usage", "system_cpu_count", "process_files_open_files",
                                          "process_files_max_files", "process_uptime_seconds", "process_start_time_seconds",
                                          "jvm_info", "jvm_threads_virtual_pinned_seconds_count");
            assertAll(series.stream().map(name -> () -> assertTrue(m.has(name), name + " missing from /metrics")));
            double heap = m.matching("jvm_memory_used_bytes", "area", "heap").stream().mapToDouble(Metrics.Sample::value).sum();
            assertAll(() -> assertTrue(heap > 0, "heap used " + heap),
                      () -> assertTrue(m.value("process_files_open_files") > 0, "open fds"),
                      () -> assertEquals(Runtime.getRuntime().availableProcessors(), (int) m.value("system_cpu_count")),
                      () -> assertTrue(m.value("process_uptime_seconds") > 0, "uptime"));
        }
    }
}
