package gaming.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * terraform/ (ECS Fargate behind an ALB) against the gateway's real facts. The files are read
 * with the test-only {@link Hcl} reader: this checks structure and values, not provider schemas
 * (run {@code terraform validate} where the provider can be downloaded).
 */
class TerraformTest {
    private static final Path DIR = DeployFacts.root().resolve("terraform");
    /** Fargate's largest container stopTimeout. */
    private static final int FARGATE_MAX_STOP_TIMEOUT = 120;

    private static Hcl.Module module;
    private static Hcl.Obj container;

    @BeforeAll
    static void parse() {
        module = Hcl.module(DIR);
        Hcl.Call definitions = (Hcl.Call) module.find("resource", "aws_ecs_task_definition", "this")
                .body().require("container_definitions");
        assertEquals("jsonencode", definitions.name());
        List<Hcl.Expr> containers = ((Hcl.Tuple) definitions.args().get(0)).items();
        assertEquals(1, containers.size(), "one container in the task");
        container = (Hcl.Obj) containers.get(0);
    }

    private static Hcl.Block resource(String type, String name) {
        return module.find("resource", type, name);
    }

    private static Object literal(Hcl.Expr expr) {
        if (!(expr instanceof Hcl.Literal l)) {
            throw new AssertionError("expected a literal, found " + expr.text());
        }
        return l.value();
    }

    @Test
    void everyVariableHasDescriptionAndType() {
        List<Hcl.Block> variables = module.all("variable");
        assertFalse(variables.isEmpty());
        for (Hcl.Block v : variables) {
            Object description = literal(v.body().attr("description")
                    .orElseThrow(() -> new AssertionError("variable " + v.label(0) + " has no description")));
            assertFalse(((String) description).isBlank(), "variable " + v.label(0));
            assertTrue(v.body().attr("type").isPresent(), "variable " + v.label(0) + " has no type");
            for (Hcl.Block validation : v.body().blocks("validation")) {
                assertTrue(validation.body().require("condition").text().contains("var." + v.label(0)),
                        "validation of " + v.label(0) + " tests the variable");
                validation.body().require("error_message");
            }
        }
    }

    @Test
    void providersArePinned() {
        Hcl.Block terraform = module.all("terraform").stream().findFirst()
                .orElseThrow(() -> new AssertionError("no terraform block"));
        assertTrue(DIR.resolve("versions.tf").toFile().isFile(), "versions.tf exists");
        assertTrue(((String) literal(terraform.body().require("required_version"))).contains(">="));
        assertFalse(terraform.body().block("required_providers").body().attributes().isEmpty());
        for (Hcl.Attribute provider : terraform.body().block("required_providers").body().attributes().values()) {
            Hcl.Obj spec = (Hcl.Obj) provider.value();
            assertTrue(((String) literal(spec.get("source"))).contains("/"), provider.name() + " source");
            String version = (String) literal(spec.get("version"));
            assertTrue(version.startsWith("~>") || version.contains("<") || version.matches("=?\\s*\\d.*"),
                    provider.name() + " version is bounded: " + version);
        }
    }

    @Test
    void containerPortIsTheGatewayPort() {
        int port = DeployFacts.port();
        assertEquals(port, module.evalInt(module.variable("container_port").body().require("default")));
        Hcl.Obj mapping = (Hcl.Obj) ((Hcl.Tuple) container.get("portMappings")).items().get(0);
        assertEquals("var.container_port", mapping.get("containerPort").text());
        assertEquals("var.container_port", resource("aws_lb_target_group", "this").body().require("port").text());
        assertEquals("var.container_port", resource("aws_ecs_service", "this").body().block("load_balancer")
                .body().require("container_port").text());
        for (String rule : List.of("tasks_from_alb", "alb_to_tasks")) {
            Hcl.Block r = module.blocks().stream()
                    .filter(b -> b.labels().size() == 2 && b.label(1).equals(rule)).findFirst().orElseThrow();
            assertEquals("var.container_port", r.body().require("from_port").text(), rule);
        }
        assertEquals("tostring(var.container_port)", environmentValue("PORT"));
    }

    @Test
    void albHealthCheckIsHealthEndpoint() {
        Hcl.Body check = resource("aws_lb_target_group", "this").body().block("health_check").body();
        assertEquals(DeployFacts.HEALTH_PATH, literal(check.require("path")));
        assertEquals("200", literal(check.require("matcher")));
        assertEquals("traffic-port", literal(check.require("port")));
    }

    @Test
    void environmentNamesAreReadByTheGateway() {
        Set<String> known = DeployFacts.gatewayEnvNames();
        Set<String> names = new TreeSet<>();
        for (Hcl.Expr e : fixedEnvironment()) {
            names.add((String) literal(((Hcl.Obj) e).get("name")));
        }
        names.addAll(((Hcl.Obj) module.local("otel_environment")).entries().keySet());
        assertTrue(names.contains("NATS_URL"), "NATS_URL is set");
        assertEquals("var.nats_url", environmentValue("NATS_URL"));
        assertTrue(known.containsAll(names), "unknown to the gateway: " + minus(names, known));

        // Secrets: names are the keys of var.nats_secret_arns, restricted by its validation.
        assertTrue(container.get("secrets").text().contains("var.nats_secret_arns"));
        Set<String> secretNames = new TreeSet<>();
        for (Hcl.Block validation : module.variable("nats_secret_arns").body().blocks("validation")) {
            Hcl.Expr condition = validation.body().require("condition");
            if (condition.text().contains("keys(")) {
                secretNames.addAll(Hcl.stringLiterals(condition));
            }
        }
        assertFalse(secretNames.isEmpty(), "nats_secret_arns validation lists the allowed names");
        assertTrue(known.containsAll(secretNames), "unknown to the gateway: " + minus(secretNames, known));
    }

    /**
     * Tracing is off by default and each OTEL_* variable reaches the task only when its Terraform
     * variable is set; the validations admit what the gateway starts its tracing with (the SDK's
     * sampler names and ratios) and refuse what it would not; the commented example in
     * terraform.tfvars.example passes both.
     */
    @Test
    void tracingVariablesArePassedOnlyWhenSet() {
        Hcl.Obj otel = (Hcl.Obj) module.local("otel_environment");
        assertEquals(List.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME",
                             "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"), List.copyOf(otel.entries().keySet()));
        for (Map.Entry<String, Hcl.Expr> e : otel.entries().entrySet()) {
            String variable = e.getKey().toLowerCase(java.util.Locale.ROOT);
            assertEquals("var." + variable, e.getValue().text(), e.getKey());
            assertEquals("", literal(module.variable(variable).body().require("default")), variable + " is unset by default");
        }
        assertEquals("[ for name, value in local.otel_environment : { name = name, value = value } if value != \"\" ]",
                environment().args().get(1).text(), "an OTEL_* entry only when its value is not empty");
        for (Hcl.Expr e : fixedEnvironment()) {
            assertFalse(((String) literal(((Hcl.Obj) e).get("name"))).startsWith("OTEL_"), e.text());
        }

        Pattern endpoint = validationPattern("otel_exporter_otlp_endpoint");
        for (String url : List.of("http://otel-collector.internal:4318", "https://otel.observability.svc:4317")) {
            assertTrue(endpoint.matcher(url).find(), url);
        }
        for (String url : List.of("otel-collector:4318", "grpc://collector:4317", "http://", " http://c:4318")) {
            assertFalse(endpoint.matcher(url).find(), url);
        }

        assertEquals(List.of("", "http/protobuf", "grpc"), validationLiterals("otel_exporter_otlp_protocol"));
        List<String> samplers = validationLiterals("otel_traces_sampler");
        assertEquals(List.of("", "always_on", "always_off", "traceidratio", "parentbased_always_on",
                             "parentbased_always_off", "parentbased_traceidratio"), samplers);
        for (String sampler : samplers.subList(1, samplers.size())) {
            assertTrue(DeployFacts.tracingStarts(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
                                                        "OTEL_TRACES_SAMPLER", sampler)), sampler);
        }
        for (String protocol : List.of("http/protobuf", "grpc")) {
            assertTrue(DeployFacts.tracingStarts(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
                                                        "OTEL_EXPORTER_OTLP_PROTOCOL", protocol)), protocol);
        }

        Pattern ratio = validationPattern("otel_traces_sampler_arg");
        for (String arg : List.of("0", "1", "0.1", ".25", "1.0", "0.001")) {
            assertTrue(ratio.matcher(arg).find(), arg);
            assertTrue(DeployFacts.tracingStarts(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1",
                                                        "OTEL_TRACES_SAMPLER", "traceidratio",
                                                        "OTEL_TRACES_SAMPLER_ARG", arg)), arg);
        }
        for (String arg : List.of("1.5", "-0.1", "2", "10%", "often", "0.1 ")) {
            assertFalse(ratio.matcher(arg).find(), arg);
        }

        // The commented example: known variables, values the validations and the gateway accept.
        Map<String, String> example = new java.util.LinkedHashMap<>();
        for (String line : DeployFacts.read(DIR.resolve("terraform.tfvars.example")).split("\n")) {
            if (line.startsWith("# otel_")) {
                Hcl.Attribute a = Hcl.parse(line.substring(2)).attributes().values().iterator().next();
                module.variable(a.name());
                example.put(a.name().toUpperCase(java.util.Locale.ROOT), (String) literal(a.value()));
            }
        }
        assertEquals(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.internal:4318",
                            "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                            "OTEL_TRACES_SAMPLER_ARG", "0.1"), example);
        assertTrue(endpoint.matcher(example.get("OTEL_EXPORTER_OTLP_ENDPOINT")).find());
        assertTrue(samplers.contains(example.get("OTEL_TRACES_SAMPLER")));
        assertTrue(ratio.matcher(example.get("OTEL_TRACES_SAMPLER_ARG")).find());
        assertTrue(DeployFacts.tracingStarts(example), "the gateway starts its tracing with the example");
    }

    /**
     * The one validation of a variable that may be empty: {@code var.X == "" || can(regex(P, var.X))};
     * P as a Java pattern (simple RE2 patterns mean the same in Java).
     */
    private static Pattern validationPattern(String variable) {
        Hcl.Expr condition = module.variable(variable).body().block("validation").body().require("condition");
        String source = Hcl.stringLiterals(condition).get(1); // as written, with HCL's escapes
        assertEquals("var." + variable + " == \"\" || can(regex(\"" + source + "\", var." + variable + "))",
                     condition.text());
        return Pattern.compile(source.replace("\\\\", "\\"));
    }

    /** The one validation of a variable limited to a list: {@code contains([...], var.X)}; the list. */
    private static List<String> validationLiterals(String variable) {
        Hcl.Expr condition = module.variable(variable).body().block("validation").body().require("condition");
        assertTrue(condition.text().startsWith("contains(["), condition.text());
        assertTrue(condition.text().endsWith("], var." + variable + ")"), condition.text());
        return Hcl.stringLiterals(condition);
    }

    @Test
    void stopTimeoutAndDeregistrationDelayCoverTheShutdownGrace() {
        int grace = DeployFacts.shutdownGraceSeconds();
        assertEquals(grace, module.evalInt(module.variable("shutdown_grace_seconds").body().require("default")),
                "shutdown_grace_seconds default = gateway.shutdown-grace-seconds");
        assertEquals("tostring(var.shutdown_grace_seconds)", environmentValue("SHUTDOWN_GRACE_SECONDS"),
                "the gateway is told the same grace");

        long stopTimeout = module.evalInt(container.get("stopTimeout"));
        assertTrue(stopTimeout > grace, "stopTimeout " + stopTimeout + " > grace " + grace);
        assertTrue(stopTimeout <= FARGATE_MAX_STOP_TIMEOUT, "stopTimeout within Fargate's limit");
        // The largest grace the validation admits must still fit.
        assertTrue(module.variable("shutdown_grace_seconds").body().block("validation").body()
                .require("condition").text().contains("var.shutdown_grace_seconds <= 100"));
        long margin = stopTimeout - grace;
        assertTrue(100 + margin <= FARGATE_MAX_STOP_TIMEOUT, "grace 100 + margin " + margin + " <= 120");

        long delay = module.evalInt(resource("aws_lb_target_group", "this").body().require("deregistration_delay"));
        assertTrue(delay >= grace, "deregistration_delay " + delay + " >= grace " + grace);
    }

    @Test
    void albIdleTimeoutOutlastsSseKeepAlive() {
        long idle = module.evalInt(resource("aws_lb", "this").body().require("idle_timeout"));
        assertTrue(idle > DeployFacts.SSE_KEEPALIVE_SECONDS, "idle_timeout " + idle);
        assertTrue(module.variable("alb_idle_timeout_seconds").body().block("validation").body()
                .require("condition").text().contains("> " + DeployFacts.SSE_KEEPALIVE_SECONDS));
    }

    @Test
    void serviceRollsBackAndScales() {
        Hcl.Body service = resource("aws_ecs_service", "this").body();
        Hcl.Body breaker = service.block("deployment_circuit_breaker").body();
        assertEquals(Boolean.TRUE, literal(breaker.require("enable")));
        assertEquals(Boolean.TRUE, literal(breaker.require("rollback")));
        assertEquals("FARGATE", literal(service.require("launch_type")));

        Set<String> metrics = new TreeSet<>();
        for (Hcl.Block policy : module.all("resource")) {
            if (policy.label(0).equals("aws_appautoscaling_policy")) {
                metrics.add((String) literal(policy.body().block("target_tracking_scaling_policy_configuration")
                        .body().block("predefined_metric_specification").body().require("predefined_metric_type")));
            }
        }
        assertEquals(Set.of("ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"), metrics);
    }

    @Test
    void logsGoToCloudWatchAndImageComesFromEcr() {
        Hcl.Obj logs = (Hcl.Obj) container.get("logConfiguration");
        assertEquals("awslogs", literal(logs.get("logDriver")));
        assertEquals("aws_cloudwatch_log_group.this.name",
                ((Hcl.Obj) logs.get("options")).get("awslogs-group").text());
        resource("aws_ecr_repository", "this");
        assertTrue(module.local("image").text().contains("aws_ecr_repository.this.repository_url"));
        assertEquals(DeployFacts.projectVersion(), literal(module.variable("image_tag").body().require("default")),
                "image_tag default = Maven project version (as in k8s/kustomization.yaml)");
        assertEquals(List.of("gateway"), ((Hcl.Tuple) module.variable("container_args").body().require("default"))
                .items().stream().map(TerraformTest::literal).toList());
    }

    @Test
    void everyTfFileParses() {
        List<Path> files = DeployFacts.files(DIR, ".tf");
        assertTrue(files.size() >= 5, "terraform files: " + files);
        for (Path file : files) {
            try {
                Hcl.parse(DeployFacts.read(file));
            } catch (IllegalArgumentException e) {
                fail(file.getFileName() + ": " + e.getMessage());
            }
        }
        // The example tfvars is HCL too.
        Hcl.parse(DeployFacts.read(DIR.resolve("terraform.tfvars.example")));
    }

    /**
     * The gateway closes idle keep-alive connections only after the ALB would have: the task's
     * IDLE_TIMEOUT_SECONDS is the ALB idle timeout plus a margin, and application.yaml's default
     * (used where the variable is not set) outlasts the ALB's default.
     */
    @Test
    void keepAliveIdleTimeoutOutlastsTheAlbs() {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("tostring\\(var\\.alb_idle_timeout_seconds \\+ (\\d+)\\)")
                .matcher(environmentValue("IDLE_TIMEOUT_SECONDS"));
        assertTrue(m.matches(), "IDLE_TIMEOUT_SECONDS = ALB idle timeout + margin: " + environmentValue("IDLE_TIMEOUT_SECONDS"));
        assertEquals(30, Integer.parseInt(m.group(1)));
        assertEquals("var.alb_idle_timeout_seconds", resource("aws_lb", "this").body().require("idle_timeout").text());
        long albDefault = module.evalInt(module.variable("alb_idle_timeout_seconds").body().require("default"));
        assertEquals(120, albDefault);
        for (Map<String, Object> config : List.of(DeployFacts.applicationYaml(),
                                                  DeployFacts.yamlFile(DeployFacts.root().resolve("k8s/application.yaml")))) {
            int gatewayIdle = ((Number) DeployFacts.path(config, "gateway", "connections", "idle-timeout-seconds")).intValue();
            assertEquals(150, gatewayIdle);
            assertTrue(gatewayIdle > albDefault, "gateway idle timeout " + gatewayIdle + " s <= ALB's " + albDefault + " s");
        }
    }

    /**
     * The container's environment: {@code concat([fixed entries], [for ... in local.otel_environment ...])}.
     */
    private static Hcl.Call environment() {
        Hcl.Call environment = (Hcl.Call) container.get("environment");
        assertEquals("concat", environment.name());
        assertEquals(2, environment.args().size(), environment.text());
        return environment;
    }

    private static List<Hcl.Expr> fixedEnvironment() {
        return ((Hcl.Tuple) environment().args().get(0)).items();
    }

    private static String environmentValue(String name) {
        return fixedEnvironment().stream()
                .map(e -> (Hcl.Obj) e)
                .filter(o -> name.equals(literal(o.get("name"))))
                .map(o -> o.get("value").text())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no environment entry " + name));
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
