package gaming.deploy;

import gaming.gateway.config.EnvOverrides;
import gaming.gateway.tracing.Tracing;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The facts of the gateway that the deployment files must agree with, read from the real
 * sources (application.yaml, pom.xml, the gateway's list of environment variables) rather than
 * repeated here. Public so that a gateway test can reuse the paths the deployment files name.
 */
public final class DeployFacts {
    /** Kubernetes probe paths the gateway serves (see k8s/deployment.yaml). */
    public static final String LIVE_PATH = "/observe/health/live";
    public static final String READY_PATH = "/observe/health/ready";
    /** The health endpoint of the original description, used by the ALB and Docker HEALTHCHECK. */
    public static final String HEALTH_PATH = "/health";
    /** Interval of the gateway's SSE keep-alive comments, in seconds. */
    public static final int SSE_KEEPALIVE_SECONDS = 15;
    /** The seed's AWS account id: it must appear nowhere in the repository. */
    public static final String SEED_ACCOUNT_ID = "695353648052";

    private DeployFacts() {
    }

    /** The repository root (Maven runs tests in the project directory). */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("pom.xml not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * Every environment variable the gateway reads: its own ({@link EnvOverrides#NAMES}) and the
     * standard OpenTelemetry ones it documents, which the SDK's autoconfigure reads
     * ({@link Tracing#ENV_NAMES}, each checked against the SDK by TracingTest).
     */
    public static Set<String> gatewayEnvNames() {
        Set<String> names = new TreeSet<>(EnvOverrides.NAMES);
        names.addAll(Tracing.ENV_NAMES);
        return Set.copyOf(names);
    }

    /**
     * Starts the gateway's tracing as start-up does ({@link Tracing#create}) with these
     * {@code OTEL_*} variables, given as their {@code gateway.tracing} keys, and stops it again.
     *
     * @return whether tracing was on
     * @throws IllegalStateException with the SDK's reason when it refuses a value
     */
    public static boolean tracingStarts(Map<String, String> otelVariables) {
        StringBuilder yaml = new StringBuilder("gateway:\n  tracing:\n");
        otelVariables.forEach((name, value) -> yaml.append("    \"")
                .append(name.toLowerCase(Locale.ROOT).replace('_', '.'))
                .append("\": \"").append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"\n"));
        Config config = Config.just(ConfigSources.create(yaml.toString(), MediaTypes.APPLICATION_X_YAML));
        try (Tracing tracing = Tracing.create(config.get("gateway.tracing"))) {
            return tracing.enabled();
        }
    }

    /** The root application.yaml, parsed. */
    public static Map<String, Object> applicationYaml() {
        return yamlFile(root().resolve("application.yaml"));
    }

    public static int port() {
        return port(applicationYaml());
    }

    public static int port(Map<String, Object> config) {
        return ((Number) path(config, "server", "port")).intValue();
    }

    public static int shutdownGraceSeconds() {
        return shutdownGraceSeconds(applicationYaml());
    }

    public static int shutdownGraceSeconds(Map<String, Object> config) {
        return ((Number) path(config, "gateway", "shutdown-grace-seconds")).intValue();
    }

    /** The Maven project version (the image tag the build produces). */
    public static String projectVersion() {
        return pomElement("version");
    }

    /** The jar the build produces: {@code target/<artifactId>.jar}. */
    public static String jarName() {
        return pomElement("artifactId") + ".jar";
    }

    /** A direct child element of {@code <project>} (after {@code <parent>}), by a small regex. */
    private static String pomElement(String name) {
        String pom = read(root().resolve("pom.xml"));
        String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(withoutParent);
        if (!m.find()) {
            throw new IllegalStateException("no <" + name + "> in pom.xml");
        }
        return m.group(1).trim();
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> yamlFile(Path file) {
        return (Map<String, Object>) yaml().load(read(file));
    }

    /** Follows map keys; fails with the path when one is missing. */
    @SuppressWarnings("unchecked")
    public static Object path(Object node, String... keys) {
        Object current = node;
        StringBuilder walked = new StringBuilder();
        for (String key : keys) {
            walked.append('.').append(key);
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("missing " + walked.substring(1));
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }

    /** Files below {@code dir} whose names end with one of {@code suffixes}, sorted. */
    public static List<Path> files(Path dir, String... suffixes) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
