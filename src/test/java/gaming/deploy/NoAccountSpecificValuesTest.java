package gaming.deploy;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** No real AWS account id, the seed's account-specific names, or secrets in the repository. */
class NoAccountSpecificValuesTest {
    private static final Path ROOT = DeployFacts.root();
    /** The seed's ECR namespace and account id. */
    private static final List<String> SEED_VALUES = List.of(DeployFacts.SEED_ACCOUNT_ID, "bodybroker-services");
    /** A 12-digit number standing alone looks like an AWS account id. */
    private static final Pattern ACCOUNT_ID = Pattern.compile("(?<![\\d.])\\d{12}(?![\\d.])");

    private static List<Path> deploymentFiles() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("Dockerfile"), ROOT.resolve(".dockerignore")));
        files.addAll(DeployFacts.files(ROOT.resolve("k8s"), ""));
        files.addAll(DeployFacts.files(ROOT.resolve("terraform"), "").stream()
                .filter(p -> !p.toString().contains("/.terraform/")).toList());
        return files;
    }

    @Test
    void seedAccountValuesAppearNowhere() throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(ROOT)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String rel = ROOT.relativize(file).toString();
                if (rel.startsWith(".git/") || rel.startsWith("target/") || rel.contains("/target/")
                        || rel.contains("/.terraform/") || rel.equals("src/test/java/gaming/deploy/DeployFacts.java")
                        || rel.equals("src/test/java/gaming/deploy/NoAccountSpecificValuesTest.java")) {
                    continue;
                }
                String text;
                try {
                    text = Files.readString(file);
                } catch (MalformedInputException binary) {
                    continue;
                }
                for (String value : SEED_VALUES) {
                    if (text.contains(value)) {
                        hits.add(rel + ": " + value);
                    }
                }
            }
        }
        assertTrue(hits.isEmpty(), "account-specific values of the original description: " + hits);
    }

    @Test
    void deploymentFilesHaveNoAccountIdsOrSecrets() {
        List<String> hits = new ArrayList<>();
        for (Path file : deploymentFiles()) {
            String text = DeployFacts.read(file);
            var m = ACCOUNT_ID.matcher(text);
            while (m.find()) {
                hits.add(ROOT.relativize(file) + ": " + m.group());
            }
            if (Pattern.compile("AKIA[0-9A-Z]{16}").matcher(text).find()) {
                hits.add(ROOT.relativize(file) + ": an AWS access key");
            }
        }
        // The only Secret manifest is an example with a placeholder.
        String secret = DeployFacts.read(ROOT.resolve("k8s/examples/nats-secret.example.yaml"));
        assertTrue(secret.contains("token: REPLACE_ME"), "example Secret holds a placeholder");
        assertTrue(hits.isEmpty(), "account ids or keys: " + hits);
    }
}
