package gaming.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test-only HCL reader does what TerraformTest relies on, and refuses broken input. */
class HclTest {
    private static final String SAMPLE = """
            # comment
            variable "grace" {
              description = "a \\"quoted\\" word" // trailing comment
              type        = number
              default     = 30
            }
            locals {
              stop = var.grace + 15
              names = [for k, v in var.m : { name = k }]
            }
            /* block
               comment */
            resource "aws_thing" "this" {
              count = var.on ? 1 : 0
              doc = jsonencode([
                {
                  name = "x-${var.grace}"
                  env = [
                    { name = "A", value = tostring(var.grace) },
                    { name = "B", value = "b" }
                  ]
                  options = {
                    awslogs-group = local.stop
                  }
                }
              ])
              policy = <<-EOT
                {"a": 1}
              EOT
              nested {
                path = "/health"
              }
              empty {}
            }
            """;

    @Test
    void readsBlocksAttributesAndNestedValues() {
        Hcl.Module module = new Hcl.Module(Hcl.parse(SAMPLE).blocks());
        Hcl.Block variable = module.variable("grace");
        assertEquals("a \"quoted\" word", ((Hcl.Literal) variable.body().require("description")).value());
        assertEquals(45, module.evalInt(module.local("stop")));

        Hcl.Block thing = module.find("resource", "aws_thing", "this");
        assertEquals("var.on ? 1 : 0", thing.body().require("count").text());
        Hcl.Call doc = assertInstanceOf(Hcl.Call.class, thing.body().require("doc"));
        Hcl.Obj container = (Hcl.Obj) ((Hcl.Tuple) doc.args().get(0)).items().get(0);
        assertInstanceOf(Hcl.Template.class, container.get("name"));
        Hcl.Tuple env = (Hcl.Tuple) container.get("env");
        assertEquals(List.of("A", "B"), env.items().stream()
                .map(e -> ((Hcl.Literal) ((Hcl.Obj) e).get("name")).value()).toList());
        assertEquals("tostring(var.grace)", ((Hcl.Obj) env.items().get(0)).get("value").text());
        assertEquals("local.stop", ((Hcl.Obj) container.get("options")).get("awslogs-group").text());
        assertEquals("/health", ((Hcl.Literal) thing.body().block("nested").body().require("path")).value());
        assertEquals(0, thing.body().block("empty").body().attributes().size());
        assertInstanceOf(Hcl.Literal.class, thing.body().require("policy"));
        assertEquals(List.of("A", "B", "b"), Hcl.stringLiterals(doc).subList(0, 3));
    }

    @Test
    void refusesBrokenInput() {
        assertThrows(IllegalArgumentException.class, () -> Hcl.parse("a = [1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Hcl.parse("a = \"open"));
        assertThrows(IllegalArgumentException.class, () -> Hcl.parse("block {\n a = 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Hcl.parse("a = 1 b = 2"));
        assertThrows(IllegalArgumentException.class, () -> Hcl.parse("a = 1\na = 2"));
    }

    @Test
    void evaluatesOnlySimpleSums() {
        Hcl.Module module = new Hcl.Module(Hcl.parse("variable \"x\" {\n default = 7\n}\n").blocks());
        assertEquals(10, module.evalInt(new Hcl.Raw("var.x + 5 - 2")));
        assertThrows(AssertionError.class, () -> module.evalInt(new Hcl.Raw("var.x * 2")));
        assertThrows(AssertionError.class, () -> module.evalInt(new Hcl.Raw("max(var.x, 2)")));
    }
}
