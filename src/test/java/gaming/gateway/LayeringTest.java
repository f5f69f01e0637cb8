package gaming.gateway;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * The gateway's dependencies run one way, checked from the {@code package} and {@code import}
 * declarations of every source file (parsed, not searched for substrings): each package has a
 * layer, and a file may import only from lower layers. {@code error} and {@code config} are
 * leaves; only the wiring package ({@code gaming.gateway}: {@link Gateway}) sits on top. Each
 * package says in its {@code package-info.java} what it owns and what it may use.
 */
class LayeringTest {
    private static final String ROOT = "gaming.gateway";
    /** Layer of each gateway package, bottom (0) to top; a package may import only from lower layers. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("error", 0), Map.entry("config", 0), Map.entry("tracing", 0),
            Map.entry("transcode", 1), Map.entry("nats", 1), Map.entry("route", 1), Map.entry("observe", 1),
            Map.entry("cors", 1), Map.entry("compress", 1), Map.entry("ratelimit", 1),
            Map.entry("identity", 2), Map.entry("upstream", 2), Map.entry("check", 2), Map.entry("legacy", 2),
            Map.entry("http", 3), Map.entry("stream", 3), Map.entry("idempotency", 3), Map.entry("migration", 3),
            Map.entry("serve", 4), Map.entry("openapi", 4), Map.entry("connection", 4), Map.entry("admin", 4),
            Map.entry("", 5));
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");
    private static final Pattern TYPE = Pattern.compile(
            "^(public\\s+|final\\s+|abstract\\s+|sealed\\s+|@)*\\s*(class|interface|enum|record)\\b.*");

    private static List<Source> sources;

    /** One source file: its package and the gateway packages it imports from (relative names, "" for the root). */
    record Source(Path path, String pkg, Set<String> imports, Set<String> otherImports) {
    }

    @BeforeAll
    static void parse() throws IOException {
        sources = parseTree(Path.of("src/main/java/gaming/gateway"));
    }

    /** The package and import declarations of every {@code .java} file below {@code dir}. */
    static List<Source> parseTree(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        List<Source> parsed = new ArrayList<>();
        for (Path file : files) {
            parsed.add(parse(file, Files.readAllLines(file)));
        }
        return parsed;
    }

    /** Reads declarations up to the first type declaration, skipping comments. */
    static Source parse(Path file, List<String> lines) {
        String pkg = null;
        Set<String> gateway = new TreeSet<>();
        Set<String> other = new TreeSet<>();
        boolean inComment = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (inComment) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                inComment = false;
                line = line.substring(end + 2).strip();
            }
            if (line.startsWith("/*")) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            Matcher p = PACKAGE.matcher(line);
            Matcher i = IMPORT.matcher(line);
            if (p.find()) {
                pkg = relative(p.group(1));
            } else if (i.find()) {
                String name = i.group(2);
                if (name.equals(ROOT) || name.startsWith(ROOT + ".")) {
                    gateway.add(packageOf(name, i.group(1) != null, i.group(3) != null));
                } else {
                    other.add(name);
                }
            } else if (TYPE.matcher(line).matches()) {
                break;
            }
        }
        if (pkg == null) {
            throw new AssertionError(file + " has no package declaration");
        }
        return new Source(file, pkg, gateway, other);
    }

    /** {@code gaming.gateway.error.GatewayException} to {@code error}; a class of the root package to "". */
    private static String packageOf(String imported, boolean isStatic, boolean wildcard) {
        List<String> parts = new ArrayList<>(List.of(imported.split("\\.")));
        // drop the member of a static import, then the class: what is left, from the first upper-case part, is a type
        if (isStatic && !wildcard) {
            parts.removeLast();
        }
        int type = parts.size();
        for (int k = 0; k < parts.size(); k++) {
            if (Character.isUpperCase(parts.get(k).charAt(0))) {
                type = k;
                break;
            }
        }
        return relative(String.join(".", parts.subList(0, type)));
    }

    private static String relative(String pkg) {
        if (pkg.equals(ROOT)) {
            return "";
        }
        return pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : "!" + pkg;
    }

    /** Every import of a gateway package from the same or a higher layer, as "file: package -> imported". */
    static List<String> violations(List<Source> parsed) {
        List<String> out = new ArrayList<>();
        for (Source s : parsed) {
            Integer own = LAYERS.get(s.pkg());
            if (own == null) {
                out.add(s.path() + ": package '" + s.pkg() + "' has no layer in LayeringTest");
                continue;
            }
            for (String imported : s.imports()) {
                if (imported.equals(s.pkg())) {
                    continue;
                }
                Integer layer = LAYERS.get(imported);
                if (layer == null || layer >= own) {
                    out.add(s.path() + ": " + name(s.pkg()) + " (layer " + own + ") imports " + name(imported)
                                    + " (layer " + layer + ")");
                }
            }
        }
        return out;
    }

    /** The pairs of packages that import each other, directly or through others. */
    static Set<String> cycles(List<Source> parsed) {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Source s : parsed) {
            for (String imported : s.imports()) {
                if (!imported.equals(s.pkg())) {
                    edges.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(imported);
                }
            }
        }
        Set<String> cycles = new TreeSet<>();
        for (String from : edges.keySet()) {
            for (String to : reachable(edges, from)) {
                if (from.compareTo(to) < 0 && reachable(edges, to).contains(from)) {
                    cycles.add(name(from) + " <-> " + name(to));
                }
            }
        }
        return cycles;
    }

    private static Set<String> reachable(Map<String, Set<String>> edges, String from) {
        Set<String> seen = new TreeSet<>();
        List<String> todo = new ArrayList<>(edges.getOrDefault(from, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.removeLast();
            if (seen.add(next)) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? ROOT : pkg;
    }

    @Test
    void everyFileWasParsed() {
        assertThat(sources.size(), greaterThan(50));
        Source gateway = sources.stream().filter(s -> s.path().endsWith("Gateway.java")).findFirst().orElseThrow();
        assertThat(gateway.pkg(), is(""));
        assertThat(gateway.imports().contains("nats"), is(true));
    }

    @Test
    void noPackageCycles() {
        assertThat(cycles(sources), empty());
    }

    @Test
    void packagesImportOnlyFromLowerLayers() {
        assertThat(violations(sources), empty());
    }

    @Test
    void errorAndConfigImportNothingFromTheGateway() {
        List<String> offenders = sources.stream()
                .filter(s -> s.pkg().equals("error") || s.pkg().equals("config"))
                .filter(s -> !s.imports().isEmpty())
                .map(s -> s.path() + " imports " + s.imports())
                .toList();
        assertThat(offenders, empty());
    }

    @Test
    void onlyTheWiringPackageImportsAcrossTheWholeGateway() {
        List<String> offenders = sources.stream()
                .filter(s -> !s.pkg().isEmpty() && s.imports().contains(""))
                .map(s -> s.path() + " imports the wiring package")
                .toList();
        assertThat(offenders, empty());
    }

    @Test
    void everyPackageSaysWhatItOwns() {
        Set<String> packages = new TreeSet<>();
        sources.forEach(s -> packages.add(s.pkg()));
        List<String> missing = packages.stream()
                .filter(p -> sources.stream().noneMatch(s -> s.pkg().equals(p) && s.path().endsWith("package-info.java")))
                .map(LayeringTest::name)
                .toList();
        assertThat(missing, empty());
    }

    @Test
    void gatewaySourcesUseNoServicesBenchOrLauncher() {
        List<String> offenders = sources.stream()
                .filter(s -> s.otherImports().stream().anyMatch(i -> i.startsWith("gaming.")))
                .map(s -> s.path() + " imports " + s.otherImports())
                .toList();
        assertThat(offenders, empty());
    }

    @Test
    void theParserSeesStaticWildcardAndCommentedImports() {
        Source s = parse(Path.of("X.java"), List.of(
                "/* header",
                "import gaming.gateway.commented.Out;",
                "*/",
                "package gaming.gateway.http;",
                "// import gaming.gateway.skipped.Line;",
                "import static gaming.gateway.error.GatewayException.invalidArgument;",
                "import gaming.gateway.observe.*;",
                "import gaming.gateway.Gateway;",
                "import gaming.services.Rpc;",
                "public final class X {",
                "import gaming.gateway.after.Type;"));
        assertThat(s.pkg(), is("http"));
        assertThat(s.imports(), is(Set.of("error", "observe", "")));
        assertThat(s.otherImports(), is(Set.of("gaming.services.Rpc")));
        assertThat(violations(List.of(s)).size(), is(1));
        assertThat(violations(List.of(new Source(Path.of("Y.java"), "error", Set.of("observe"), Set.of()))).size(), is(1));
    }
}
