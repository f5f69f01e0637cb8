package gaming.gateway.observe;

import io.helidon.metrics.api.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JVM and process series, from Micrometer's standard binders under their conventional names:
 * {@code jvm_memory_used_bytes} (heap and non-heap pools), {@code jvm_gc_pause_seconds},
 * {@code jvm_threads_live_threads}, {@code jvm_classes_loaded_classes},
 * {@code process_cpu_usage} / {@code system_cpu_usage}, {@code process_files_open_files} /
 * {@code process_files_max_files}, {@code process_uptime_seconds}, and
 * {@code jvm_threads_virtual_pinned_seconds} (virtual threads that blocked their carrier).
 * Bound once per process: the registry is process-wide and the GC timers come from a JMX listener
 * ({@link GcPauseMetrics}, instead of Micrometer's {@code JvmGcMetrics}, which can deadlock
 * against Helidon's registry).
 */
final class JvmMetrics {
    private static final AtomicBoolean BOUND = new AtomicBoolean();

    private JvmMetrics() {
    }

    static void bindOnce(MeterRegistry registry) {
        if (!BOUND.compareAndSet(false, true)) {
            return;
        }
        io.micrometer.core.instrument.MeterRegistry micrometer = registry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
        List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), new JvmHeapPressureMetrics(),
                                            new JvmThreadMetrics(), new ClassLoaderMetrics(), new JvmInfoMetrics(),
                                            new ProcessorMetrics(), new FileDescriptorMetrics(), new UptimeMetrics(),
                                            new VirtualThreadMetrics());
        for (MeterBinder binder : binders) {
            binder.bindTo(micrometer);
        }
        GcPauseMetrics.bind(registry);
    }
}
