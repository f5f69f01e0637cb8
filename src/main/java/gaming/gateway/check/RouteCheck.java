package gaming.gateway.check;

import gaming.gateway.config.ConfigLoader;
import gaming.gateway.config.EnvOverrides;
import gaming.gateway.nats.NatsSettings;
import gaming.gateway.route.Route;
import gaming.gateway.route.RouteTable;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar http-nats-gateway.jar check [config]}: loads the configuration as the gateway
 * does ({@link ConfigLoader}; a {@code config} argument takes the place of {@code GATEWAY_CONFIG}),
 * builds the route table with its start-up validation (types resolve in the generated classes or
 * the descriptor sets, paths unique and not overlapping, path parameters bound to string fields,
 * stream flag and cancel types present, subjects valid NATS subjects without wildcards) and prints
 * the resolved routes as a table. Connects to nothing.
 *
 * <p>Exit status: 0 for a valid table; 1 with {@code check: route NAME: REASON} on standard error
 * for the first error; 2 for wrong arguments.
 */
public final class RouteCheck {
    /** Exit status of a valid table. */
    public static final int OK = 0;
    /** Exit status of an invalid table or configuration. */
    public static final int INVALID = 1;
    /** Exit status of wrong arguments. */
    public static final int USAGE = 2;

    private RouteCheck() {
    }

    /** Runs the check on the process's environment and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the check.
     *
     * @param args        empty, or one path: the configuration file to check
     * @param environment the environment variables ({@link EnvOverrides})
     * @return {@link #OK}, {@link #INVALID} or {@link #USAGE}
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length > 1 || args.length == 1 && args[0].startsWith("-")) {
            err.println("usage: java -jar http-nats-gateway.jar check [config.yaml]");
            return USAGE;
        }
        Map<String, String> env = new HashMap<>(environment);
        if (args.length == 1) {
            env.put(EnvOverrides.GATEWAY_CONFIG, args[0]);
        }
        RouteTable table;
        try {
            Config gateway = ConfigLoader.load(env).get("gateway");
            table = RouteTable.create(gateway, NatsSettings.create(gateway.get("nats")).requestTimeout());
        } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
            err.println("check: " + e.getMessage());
            return INVALID;
        }
        out.print(format(table));
        out.println(table.size() + " routes OK" + (table.descriptorSets().paths().isEmpty() ? ""
                : " (descriptor sets: " + table.descriptorSets().paths() + ")"));
        return OK;
    }

    /** The routes of {@code table} as a text table, one line per route. */
    static String format(RouteTable table) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "PATH", "SUBJECT", "REQUEST", "REPLY", "STREAM", "TIMEOUT", "TYPES"});
        for (Route route : table.routes()) {
            rows.add(new String[] {
                    route.name(), "POST " + route.path(), route.subject(), typeName(route.request()),
                    typeName(route.reply()),
                    route.stream().map(s -> typeName(s.chunk())).orElse("-"),
                    route.timeout().toMillis() % 1000 == 0 ? route.timeout().toSeconds() + "s" : route.timeout().toMillis() + "ms",
                    route.request() instanceof DynamicMessage || route.reply() instanceof DynamicMessage
                            ? "descriptor set" : "compiled"});
        }
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                text.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String typeName(Message message) {
        return message.getDescriptorForType().getFullName();
    }
}
