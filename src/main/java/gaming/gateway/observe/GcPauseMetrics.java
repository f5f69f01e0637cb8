package gaming.gateway.observe;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * {@code jvm_gc_pause_seconds} and {@code jvm_gc_concurrent_phase_time_seconds} with the tags
 * {@code action}, {@code cause} and {@code gc}: the names and tags of Micrometer's
 * {@code JvmGcMetrics}, whose timers this replaces. That binder creates a timer for each new
 * action and cause on the JVM's notification thread directly in the Micrometer registry, whose
 * lock it then holds while Helidon's registry listener waits for Helidon's lock; a thread
 * registering a meter through Helidon's API at that moment holds the locks the other way round,
 * and both wait for ever (seen: the gateway stuck at start-up before listening). Here the timers
 * are created through Helidon's registry, so every registration takes the locks in one order.
 */
final class GcPauseMetrics {
    private final MeterRegistry registry;

    private GcPauseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Listens to every collector's notifications for the life of the process. */
    static void bind(MeterRegistry registry) {
        GcPauseMetrics metrics = new GcPauseMetrics(registry);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        metrics.record(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    private void record(GarbageCollectionNotificationInfo info) {
        boolean phase = concurrentPhase(info);
        String name = phase ? "jvm.gc.concurrent.phase.time" : "jvm.gc.pause";
        String description = phase ? "Time spent in concurrent phase" : "Time spent in GC pause";
        List<Tag> tags = List.of(Tag.create("action", info.getGcAction()), Tag.create("cause", info.getGcCause()),
                                 Tag.create("gc", info.getGcName()));
        registry.getOrCreate(Timer.builder(name).description(description).tags(tags))
                .record(Duration.ofMillis(info.getGcInfo().getDuration()));
    }

    /**
     * Collectors that run beside the application report phases, not pauses: Shenandoah's and ZGC's
     * "Cycles" beans ({@code ZGC Major Cycles}, ...), G1's {@code G1 Concurrent GC} (JDK 20+), and
     * any notification whose cause is {@code No GC}.
     */
    private static boolean concurrentPhase(GarbageCollectionNotificationInfo info) {
        String gc = info.getGcName();
        return "No GC".equals(info.getGcCause()) || gc.endsWith(" Cycles") || gc.equals("G1 Concurrent GC");
    }
}
