package gaming.deploy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static gaming.deploy.DeployFacts.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every YAML file under k8s/, parsed, against the gateway's real facts. */
@SuppressWarnings("unchecked")
class K8sManifestsTest {
    private static final Path DIR = DeployFacts.root().resolve("k8s");
    private static final String IMAGE = "gaming-system/http-nats-gateway";
    /** The optional ConfigMap that turns tracing on (k8s/examples/otel-configmap.example.yaml). */
    private static final String OTEL_CONFIG_MAP = "http-nats-gateway-otel";

    /** Kubernetes objects (every document of every YAML file but kustomization.yaml and application.yaml). */
    private static final List<Map<String, Object>> OBJECTS = new ArrayList<>();
    private static Map<String, Object> kustomization;
    private static Map<String, Object> deployment;
    private static Map<String, Object> gateway;

    @BeforeAll
    static void load() {
        for (Path file : DeployFacts.files(DIR, ".yaml", ".yml")) {
            String name = file.getFileName().toString();
            if (name.equals("application.yaml")) {
                continue;
            }
            for (Object doc : DeployFacts.yaml().loadAll(DeployFacts.read(file))) {
                if (doc == null) {
                    continue;
                }
                Map<String, Object> object = (Map<String, Object>) doc;
                assertNotNull(object.get("apiVersion"), file + ": apiVersion");
                assertNotNull(object.get("kind"), file + ": kind");
                if (name.equals("kustomization.yaml")) {
                    kustomization = object;
                    continue;
                }
                assertNotNull(path(object, "metadata", "name"), file + ": metadata.name");
                object.put("__file", DIR.relativize(file).toString());
                OBJECTS.add(object);
            }
        }
        deployment = find("Deployment", "http-nats-gateway");
        gateway = containers(deployment).stream()
                .filter(c -> "gateway".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container named gateway"));
    }

    private static Map<String, Object> find(String kind, String name) {
        return OBJECTS.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(path(o, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return (Map<String, Object>) path(workload, "spec", "template", "spec");
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return (List<Map<String, Object>>) podSpec(workload).get("containers");
    }

    private static List<Map<String, Object>> workloads() {
        return OBJECTS.stream().filter(o -> Set.of("Deployment", "StatefulSet", "DaemonSet").contains(o.get("kind")))
                .toList();
    }

    private static Map<String, Object> k8sConfig() {
        return DeployFacts.yamlFile(DIR.resolve("application.yaml"));
    }

    private static String env(Map<String, Object> container, String name) {
        for (Map<String, Object> e : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            if (name.equals(e.get("name"))) {
                return (String) e.get("value");
            }
        }
        return null;
    }

    @Test
    void kustomizationListsEveryTopLevelManifest() throws Exception {
        List<String> resources = (List<String>) kustomization.get("resources");
        for (String resource : resources) {
            assertTrue(Files.isRegularFile(DIR.resolve(resource)), "kustomization resource " + resource);
        }
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("kustomization.yaml") && !name.equals("application.yaml")) {
                    assertTrue(resources.contains(name), name + " is listed in kustomization.yaml resources");
                }
            }
        }
    }

    @Test
    void containerPortIsTheGatewayPort() {
        int port = DeployFacts.port();
        assertEquals(port, DeployFacts.port(k8sConfig()), "k8s/application.yaml server.port");
        assertEquals(null, env(gateway, "PORT"), "PORT is left to the config file");
        Map<String, Object> http = ((List<Map<String, Object>>) gateway.get("ports")).get(0);
        assertEquals(port, http.get("containerPort"));
        assertEquals("http", http.get("name"));
        assertEquals(String.valueOf(port),
                path(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/port"));

        Map<String, Object> service = find("Service", "http-nats-gateway");
        List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) path(service, "spec", "ports");
        assertEquals("http", servicePorts.get(0).get("targetPort"));
        assertEquals(path(deployment, "spec", "selector", "matchLabels"), path(service, "spec", "selector"));
    }

    @Test
    void probesUseTheGatewayHealthPaths() {
        assertEquals(DeployFacts.LIVE_PATH, path(gateway, "livenessProbe", "httpGet", "path"));
        assertEquals(DeployFacts.LIVE_PATH, path(gateway, "startupProbe", "httpGet", "path"));
        assertEquals(DeployFacts.READY_PATH, path(gateway, "readinessProbe", "httpGet", "path"));
        for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
            assertEquals("http", path(gateway, probe, "httpGet", "port"), probe + " uses the named port");
        }
    }

    @Test
    void everyEnvironmentVariableIsReadByTheGateway() {
        Set<String> known = DeployFacts.gatewayEnvNames();
        Set<String> unknown = new TreeSet<>();
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> c : containers(workload)) {
                for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                    if (!known.contains((String) e.get("name"))) {
                        unknown.add(workload.get("__file") + ": " + e.get("name"));
                    }
                    Map<String, Object> from = (Map<String, Object>) e.get("valueFrom");
                    for (String ref : List.of("secretKeyRef", "configMapKeyRef")) {
                        if (from != null && from.get(ref) != null) {
                            assertEquals(Boolean.TRUE, path(from, ref, "optional"),
                                    e.get("name") + ": a missing Secret or ConfigMap must not block the pod");
                        }
                    }
                }
                assertFalse(c.containsKey("envFrom"), "envFrom would hide which variables are set");
            }
        }
        assertTrue(unknown.isEmpty(), "not read by the gateway: " + unknown);
        assertNotNull(env(gateway, "NATS_URL"), "NATS_URL is set");
    }

    /**
     * Tracing is off as deployed (no OTLP endpoint anywhere) and turned on by the optional
     * ConfigMap {@value #OTEL_CONFIG_MAP} alone: every OTEL_* variable comes from it, by a key of
     * its own name, and the example ConfigMap sets only keys the Deployment reads, to values the
     * gateway starts its tracing with.
     */
    @Test
    void tracingIsOffUnlessItsOptionalConfigMapTurnsItOn() {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) gateway.get("env")) {
            String name = (String) e.get("name");
            if (name.startsWith("OTEL_")) {
                assertFalse(e.containsKey("value"), name + " is set only by the ConfigMap");
                assertEquals(OTEL_CONFIG_MAP, path(e, "valueFrom", "configMapKeyRef", "name"), name);
                assertEquals(name, path(e, "valueFrom", "configMapKeyRef", "key"), name + ": key = variable name");
                assertEquals(Boolean.TRUE, path(e, "valueFrom", "configMapKeyRef", "optional"), name);
                names.add(name);
            }
        }
        assertEquals(List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME",
                             "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"), names);
        assertFalse(((Map<String, Object>) path(k8sConfig(), "gateway")).containsKey("tracing"),
                "k8s/application.yaml configures no tracing");

        // The ConfigMap is the operator's: not among the applied resources.
        for (Map<String, Object> object : OBJECTS) {
            if (OTEL_CONFIG_MAP.equals(path(object, "metadata", "name"))) {
                assertEquals("examples/otel-configmap.example.yaml", object.get("__file"));
            }
        }
        for (Map<String, Object> generator
                : (List<Map<String, Object>>) kustomization.getOrDefault("configMapGenerator", List.of())) {
            assertFalse(OTEL_CONFIG_MAP.equals(generator.get("name")), "kustomization generates no " + OTEL_CONFIG_MAP);
        }

        Map<String, Object> example = find("ConfigMap", OTEL_CONFIG_MAP);
        Map<String, String> data = (Map<String, String>) example.get("data");
        Set<String> unread = new TreeSet<>(data.keySet());
        unread.removeAll(names);
        assertEquals(Set.of(), unread, "keys of the example the Deployment does not read");
        assertEquals("http/protobuf", data.get("OTEL_EXPORTER_OTLP_PROTOCOL"));
        assertEquals(4318, URI.create(data.get("OTEL_EXPORTER_OTLP_ENDPOINT")).getPort(),
                "the collector's OTLP/HTTP port");
        assertEquals("parentbased_traceidratio", data.get("OTEL_TRACES_SAMPLER"));
        assertEquals("0.1", data.get("OTEL_TRACES_SAMPLER_ARG"));
        assertTrue(DeployFacts.tracingStarts(data), "the gateway starts its tracing with the example");
    }

    @Test
    void terminationGraceOutlastsPreStopAndShutdownGrace() {
        int grace = env(gateway, "SHUTDOWN_GRACE_SECONDS") != null
                ? Integer.parseInt(env(gateway, "SHUTDOWN_GRACE_SECONDS"))
                : DeployFacts.shutdownGraceSeconds(k8sConfig());
        assertEquals(DeployFacts.shutdownGraceSeconds(), grace, "same grace as application.yaml");
        List<String> preStop = (List<String>) path(gateway, "lifecycle", "preStop", "exec", "command");
        assertEquals("sleep", preStop.get(0));
        int pause = Integer.parseInt(preStop.get(1));
        assertTrue(pause > 0);
        int termination = (Integer) podSpec(deployment).get("terminationGracePeriodSeconds");
        assertTrue(termination > pause + grace,
                "terminationGracePeriodSeconds " + termination + " > preStop " + pause + " + grace " + grace);
    }

    @Test
    void configMapCarriesTheGatewayConfiguration() {
        Map<String, Object> root = DeployFacts.applicationYaml();
        Map<String, Object> copy = k8sConfig();
        assertEquals(path(root, "gateway", "routes"), path(copy, "gateway", "routes"),
                "k8s/application.yaml routes = ../application.yaml routes (copy the file over)");
        assertEquals(DeployFacts.shutdownGraceSeconds(root), DeployFacts.shutdownGraceSeconds(copy));

        Map<String, Object> generator = ((List<Map<String, Object>>) kustomization.get("configMapGenerator")).get(0);
        assertEquals(List.of("application.yaml"), generator.get("files"));
        Map<String, Object> volume = ((List<Map<String, Object>>) podSpec(deployment).get("volumes")).stream()
                .filter(v -> v.containsKey("configMap")).findFirst().orElseThrow();
        assertEquals(generator.get("name"), path(volume, "configMap", "name"));
        Map<String, Object> mount = ((List<Map<String, Object>>) gateway.get("volumeMounts")).stream()
                .filter(m -> volume.get("name").equals(m.get("name"))).findFirst().orElseThrow();
        assertEquals(mount.get("mountPath") + "/application.yaml", env(gateway, "GATEWAY_CONFIG"));
    }

    @Test
    void imageTagMatchesKustomizationAndProjectVersion() {
        Map<String, Object> image = ((List<Map<String, Object>>) kustomization.get("images")).get(0);
        assertEquals(IMAGE, image.get("name"));
        String tag = (String) image.get("newTag");
        assertEquals(DeployFacts.projectVersion(), tag, "kustomization newTag = Maven project version");
        for (Map<String, Object> workload : workloads()) {
            for (Map<String, Object> c : containers(workload)) {
                String ref = (String) c.get("image");
                assertTrue(ref.equals(IMAGE) || ref.equals(IMAGE + ":" + tag),
                        workload.get("__file") + ": image " + ref + " vs kustomization " + IMAGE + ":" + tag);
            }
        }
    }

    @Test
    void podsRunAsTheImageUserWithReadOnlyRoot() {
        String user = DockerfileTest.finalUser();
        for (Map<String, Object> workload : workloads()) {
            Map<String, Object> security = (Map<String, Object>) podSpec(workload).get("securityContext");
            assertEquals(Boolean.TRUE, security.get("runAsNonRoot"), workload.get("__file") + " runAsNonRoot");
            assertEquals(user.split(":")[0], String.valueOf(security.get("runAsUser")),
                    workload.get("__file") + ": runAsUser = Dockerfile USER");
            for (Map<String, Object> c : containers(workload)) {
                assertEquals(Boolean.TRUE, path(c, "securityContext", "readOnlyRootFilesystem"));
                assertEquals(Boolean.FALSE, path(c, "securityContext", "allowPrivilegeEscalation"));
                assertTrue(((List<Map<String, Object>>) c.get("volumeMounts")).stream()
                        .anyMatch(m -> "/tmp".equals(m.get("mountPath"))), "writable /tmp for the JVM");
                assertNotNull(path(c, "resources", "requests", "memory"));
                assertNotNull(path(c, "resources", "limits", "memory"));
            }
        }
    }

    @Test
    void scalingAndDisruptionTargetTheGateway() {
        Map<String, Object> hpa = find("HorizontalPodAutoscaler", "http-nats-gateway");
        assertEquals("Deployment", path(hpa, "spec", "scaleTargetRef", "kind"));
        assertEquals("http-nats-gateway", path(hpa, "spec", "scaleTargetRef", "name"));
        assertTrue((Integer) path(hpa, "spec", "minReplicas") >= 2);
        assertFalse(((Map<String, Object>) deployment.get("spec")).containsKey("replicas"),
                "the HPA owns the replica count");

        Map<String, Object> pdb = find("PodDisruptionBudget", "http-nats-gateway");
        assertEquals(path(deployment, "spec", "selector", "matchLabels"), path(pdb, "spec", "selector", "matchLabels"));

        Map<String, Object> affinity = (Map<String, Object>) podSpec(deployment).get("affinity");
        assertTrue(String.valueOf(affinity).contains("topology.kubernetes.io/zone"), "spread across zones");
        assertEquals(0, path(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
    }
}
