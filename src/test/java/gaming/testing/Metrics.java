package gaming.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scrape of the gateway's Prometheus text ({@code GET /metrics}), parsed into samples, so that a
 * test can read one value by metric name and labels and compare two scrapes.
 */
public final class Metrics {
    /** One sample line: name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final String text;

    private Metrics(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /** Scrapes {@code /metrics} of the gateway that {@code http} talks to. */
    public static Metrics scrape(Http http) {
        var res = http.get("/metrics");
        if (res.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + res.statusCode() + ": " + res.body());
        }
        return parse(res.body());
    }

    /** Parses Prometheus text exposition format. */
    public static Metrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                parseLabels(line.substring(brace + 1, close), labels);
                space = line.indexOf(' ', close);
            } else {
                name = line.substring(0, line.indexOf(' '));
                space = line.indexOf(' ');
            }
            String rest = line.substring(space + 1).trim();
            int more = rest.indexOf(' ');
            String value = more < 0 ? rest : rest.substring(0, more);
            samples.add(new Sample(name, labels, Double.parseDouble(value)));
        }
        return new Metrics(text, samples);
    }

    private static void parseLabels(String body, Map<String, String> labels) {
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            String key = body.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (body.charAt(j) != '"') {
                if (body.charAt(j) == '\\') {
                    j++;
                }
                value.append(body.charAt(j++));
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < body.length() && body.charAt(i) == ',') {
                i++;
            }
        }
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels} (name/value pairs); 0 if none. */
    public double value(String name, String... labels) {
        double sum = 0;
        for (Sample s : matching(name, labels)) {
            sum += s.value();
        }
        return sum;
    }

    /** Whether any sample is named {@code name} with these labels. */
    public boolean has(String name, String... labels) {
        return !matching(name, labels).isEmpty();
    }

    /** The samples named {@code name} whose labels include {@code labels}. */
    public List<Sample> matching(String name, String... labels) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (!s.name().equals(name)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                out.add(s);
            }
        }
        return out;
    }

    /** The value in this scrape minus the value in {@code before}. */
    public double delta(Metrics before, String name, String... labels) {
        return value(name, labels) - before.value(name, labels);
    }

    /** The raw text. */
    public String text() {
        return text;
    }
}
