package gaming.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small reader for the subset of HCL (Terraform's language) that terraform/ uses, for tests
 * only. It knows: comments, blocks with labels, attributes, string literals and templates
 * (kept as raw text), heredocs, numbers, booleans, null, tuples {@code [..]}, objects
 * {@code {k = v}}, and function calls. Everything else (references such as {@code var.x},
 * operators, conditionals, for-expressions, splats) is kept as {@link Raw} text with single
 * spaces between tokens: a test can compare it or evaluate simple integer sums with
 * {@link Module#evalInt}, but this is not a Terraform validator: it checks structure, not types
 * or provider schemas. Unbalanced brackets, unterminated strings and stray tokens fail.
 */
public final class Hcl {
    private Hcl() {
    }

    // ---- model ---------------------------------------------------------------------

    public sealed interface Expr permits Literal, Template, Tuple, Obj, Call, Raw {
        String text();
    }

    /** A string without interpolation, a number ({@code Long} or {@code Double}), boolean or null. */
    public record Literal(Object value, String text) implements Expr {
    }

    /** A string with {@code ${...}} or {@code %{...}} (text is the source between the quotes). */
    public record Template(String text) implements Expr {
    }

    public record Tuple(List<Expr> items, String text) implements Expr {
    }

    public record Obj(Map<String, Expr> entries, String text) implements Expr {
        public Expr get(String key) {
            Expr e = entries.get(key);
            if (e == null) {
                throw new AssertionError("object has no key " + key + ": " + text);
            }
            return e;
        }
    }

    public record Call(String name, List<Expr> args, String text) implements Expr {
    }

    public record Raw(String text) implements Expr {
    }

    public record Attribute(String name, Expr value, int line) {
    }

    public record Block(String type, List<String> labels, Body body, int line) {
        public String label(int i) {
            return labels.get(i);
        }
    }

    public record Body(Map<String, Attribute> attributes, List<Block> blocks) {
        public Optional<Expr> attr(String name) {
            return Optional.ofNullable(attributes.get(name)).map(Attribute::value);
        }

        public Expr require(String name) {
            return attr(name).orElseThrow(() -> new AssertionError("missing attribute " + name));
        }

        public List<Block> blocks(String type) {
            return blocks.stream().filter(b -> b.type().equals(type)).toList();
        }

        public Block block(String type) {
            List<Block> found = blocks(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type + " block, found " + found.size());
            }
            return found.get(0);
        }
    }

    /** All files of one directory (a Terraform module). */
    public record Module(List<Block> blocks) {
        public List<Block> all(String type) {
            return blocks.stream().filter(b -> b.type().equals(type)).toList();
        }

        /** A resource or data source by its two labels. */
        public Block find(String type, String label0, String label1) {
            return blocks.stream()
                    .filter(b -> b.type().equals(type) && b.labels().size() == 2
                            && b.label(0).equals(label0) && b.label(1).equals(label1))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " \"" + label0 + "\" \"" + label1 + "\""));
        }

        public Block variable(String name) {
            return blocks.stream()
                    .filter(b -> b.type().equals("variable") && b.label(0).equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no variable " + name));
        }

        public Expr local(String name) {
            return all("locals").stream()
                    .flatMap(b -> b.body().attr(name).stream())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no local " + name));
        }

        /**
         * Evaluates an integer expression made of number literals, {@code var.X} (the variable's
         * default), {@code local.X} and {@code +}/{@code -}. Anything else fails the test.
         */
        public long evalInt(Expr expr) {
            if (expr instanceof Literal l && l.value() instanceof Long n) {
                return n;
            }
            String[] tokens = expr.text().trim().split(" ");
            long sum = 0;
            int sign = 1;
            boolean expectOperand = true;
            for (String t : tokens) {
                if (!expectOperand && (t.equals("+") || t.equals("-"))) {
                    sign = t.equals("+") ? 1 : -1;
                    expectOperand = true;
                    continue;
                }
                if (!expectOperand) {
                    throw new AssertionError("cannot evaluate " + expr.text());
                }
                long value;
                if (t.matches("\\d+")) {
                    value = Long.parseLong(t);
                } else if (t.startsWith("var.")) {
                    value = evalInt(variable(t.substring(4)).body().require("default"));
                } else if (t.startsWith("local.")) {
                    value = evalInt(local(t.substring(6)));
                } else {
                    throw new AssertionError("cannot evaluate " + expr.text());
                }
                sum += sign * value;
                expectOperand = false;
            }
            if (expectOperand) {
                throw new AssertionError("cannot evaluate " + expr.text());
            }
            return sum;
        }
    }

    /** Every string literal inside an expression, at any depth (including inside calls and raw text). */
    public static List<String> stringLiterals(Expr expr) {
        List<String> out = new ArrayList<>();
        collectStrings(expr, out);
        return out;
    }

    private static void collectStrings(Expr expr, List<String> out) {
        switch (expr) {
            case Literal l when l.value() instanceof String s -> out.add(s);
            case Tuple t -> t.items().forEach(e -> collectStrings(e, out));
            case Obj o -> o.entries().values().forEach(e -> collectStrings(e, out));
            case Call c -> c.args().forEach(e -> collectStrings(e, out));
            case Raw r -> {
                var m = java.util.regex.Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(r.text());
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
            default -> {
            }
        }
    }

    // ---- lexer -----------------------------------------------------------------------

    enum Kind { IDENT, NUMBER, STRING, TEMPLATE, PUNCT, NEWLINE, EOF }

    record Token(Kind kind, String text, int line) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }
    }

    private static final String[] MULTI = {"==", "!=", "<=", ">=", "&&", "||", "=>", "..."};

    static List<Token> lex(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') {
                out.add(new Token(Kind.NEWLINE, "\n", line++));
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '#' || (c == '/' && i + 1 < n && src.charAt(i + 1) == '/')) {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + line + ": unterminated comment");
                }
                line += count(src.substring(i, end), '\n');
                i = end + 2;
            } else if (c == '"') {
                int end = endOfString(src, i, line);
                String body = src.substring(i + 1, end);
                boolean template = body.contains("${") || body.contains("%{");
                out.add(new Token(template ? Kind.TEMPLATE : Kind.STRING, body, line));
                line += count(body, '\n');
                i = end + 1;
            } else if (c == '<' && src.startsWith("<<", i) && i + 2 < n
                    && (Character.isLetter(src.charAt(i + 2)) || src.charAt(i + 2) == '-')) {
                int nl = src.indexOf('\n', i);
                String marker = src.substring(i + 2, nl).trim().replaceFirst("^-", "");
                int start = nl + 1;
                int pos = start;
                while (true) {
                    int next = src.indexOf('\n', pos);
                    if (next < 0) {
                        throw new IllegalArgumentException("line " + line + ": unterminated heredoc " + marker);
                    }
                    if (src.substring(pos, next).trim().equals(marker)) {
                        String body = src.substring(start, pos);
                        out.add(new Token(body.contains("${") ? Kind.TEMPLATE : Kind.STRING, body, line));
                        line += count(src.substring(i, next), '\n');
                        i = next;
                        break;
                    }
                    pos = next + 1;
                }
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isDigit(src.charAt(j)) || src.charAt(j) == '.'
                        || src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, src.substring(i, j), line));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_'
                        || src.charAt(j) == '-')) {
                    j++;
                }
                out.add(new Token(Kind.IDENT, src.substring(i, j), line));
                i = j;
            } else {
                String punct = String.valueOf(c);
                for (String m : MULTI) {
                    if (src.startsWith(m, i)) {
                        punct = m;
                        break;
                    }
                }
                if ("{}[]()=,:?.+-*/%!<>".indexOf(c) < 0 && punct.length() == 1) {
                    throw new IllegalArgumentException("line " + line + ": unexpected character '" + c + "'");
                }
                out.add(new Token(Kind.PUNCT, punct, line));
                i += punct.length();
            }
        }
        out.add(new Token(Kind.EOF, "", line));
        return out;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }

    /** Index of the closing quote of the string opening at {@code start}, across {@code ${ }} nesting. */
    private static int endOfString(String src, int start, int line) {
        int i = start + 1;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i;
            } else if ((c == '$' || c == '%') && i + 1 < src.length() && src.charAt(i + 1) == '{') {
                int depth = 1;
                i += 2;
                while (depth > 0) {
                    if (i >= src.length()) {
                        throw new IllegalArgumentException("line " + line + ": unterminated interpolation");
                    }
                    char d = src.charAt(i);
                    if (d == '"') {
                        i = endOfString(src, i, line) + 1;
                        continue;
                    }
                    if (d == '{') {
                        depth++;
                    } else if (d == '}') {
                        depth--;
                    }
                    i++;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("line " + line + ": unterminated string");
    }

    // ---- parser ----------------------------------------------------------------------

    /** Parses one file's text. */
    public static Body parse(String src) {
        Parser p = new Parser(lex(src));
        Body body = p.body();
        p.expect(Kind.EOF);
        return body;
    }

    /** Parses every {@code *.tf} file of a directory (not recursive) into one module. */
    public static Module module(java.nio.file.Path dir) {
        List<Block> blocks = new ArrayList<>();
        for (java.nio.file.Path file : DeployFacts.files(dir, ".tf")) {
            if (!file.getParent().equals(dir)) {
                continue;
            }
            try {
                blocks.addAll(parse(DeployFacts.read(file)).blocks());
            } catch (IllegalArgumentException e) {
                throw new AssertionError(file.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return new Module(blocks);
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int pos;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(pos);
        }

        Token peek(int ahead) {
            return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
        }

        Token next() {
            return tokens.get(pos++);
        }

        Token expect(Kind kind) {
            Token t = next();
            if (t.kind() != kind) {
                throw error(t, "expected " + kind);
            }
            return t;
        }

        void expect(String punct) {
            Token t = next();
            if (!t.is(punct)) {
                throw error(t, "expected '" + punct + "'");
            }
        }

        IllegalArgumentException error(Token t, String message) {
            return new IllegalArgumentException("line " + t.line() + ": " + message + ", found '" + t.text() + "'");
        }

        void skipNewlines() {
            while (peek().kind() == Kind.NEWLINE) {
                pos++;
            }
        }

        /** Attributes and blocks until '}' or EOF. */
        Body body() {
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            List<Block> blocks = new ArrayList<>();
            while (true) {
                skipNewlines();
                Token t = peek();
                if (t.kind() == Kind.EOF || t.is("}")) {
                    return new Body(attributes, blocks);
                }
                Token name = expect(Kind.IDENT);
                if (peek().is("=")) {
                    next();
                    Expr value = expr(true);
                    if (attributes.put(name.text(), new Attribute(name.text(), value, name.line())) != null) {
                        throw error(name, "duplicate attribute " + name.text());
                    }
                    endOfLine();
                } else {
                    List<String> labels = new ArrayList<>();
                    while (peek().kind() == Kind.STRING || peek().kind() == Kind.IDENT) {
                        labels.add(next().text());
                    }
                    expect("{");
                    Body inner = body();
                    expect("}");
                    blocks.add(new Block(name.text(), List.copyOf(labels), inner, name.line()));
                    endOfLine();
                }
            }
        }

        void endOfLine() {
            Token t = peek();
            if (t.kind() == Kind.NEWLINE) {
                next();
            } else if (!(t.kind() == Kind.EOF || t.is("}"))) {
                throw error(t, "expected end of line");
            }
        }

        /**
         * One expression, up to a ',' / closing bracket / (if {@code newlineEnds}) newline at
         * its own depth. A single structured term is returned as such; a sequence becomes Raw.
         */
        Expr expr(boolean newlineEnds) {
            List<Expr> terms = new ArrayList<>();
            while (true) {
                if (!newlineEnds) {
                    skipNewlines();
                }
                Token t = peek();
                if (t.kind() == Kind.EOF || t.kind() == Kind.NEWLINE || t.is(",") || t.is(")")
                        || t.is("]") || t.is("}")) {
                    break;
                }
                terms.add(term());
            }
            if (terms.isEmpty()) {
                throw error(peek(), "expected an expression");
            }
            if (terms.size() == 1) {
                return terms.get(0);
            }
            return new Raw(join(terms.stream().map(Expr::text).toList()));
        }

        /** Token texts with single spaces, except around '.' and before an index or call bracket. */
        static String join(List<String> parts) {
            StringBuilder text = new StringBuilder();
            String previous = null;
            for (String part : parts) {
                boolean glue = previous == null || previous.equals(".") || previous.equals("(")
                        || previous.equals("[") || part.equals(".") || part.equals(",") || part.equals(")")
                        || part.equals("]")
                        || (part.startsWith("[") || part.equals("(")) && previous.matches(".*[\\w\\])]$");
                text.append(glue ? "" : " ").append(part);
                previous = part;
            }
            return text.toString();
        }

        Expr term() {
            Token t = next();
            switch (t.kind()) {
                case STRING -> {
                    return new Literal(unescape(t.text()), quote(t.text()));
                }
                case TEMPLATE -> {
                    return new Template(t.text());
                }
                case NUMBER -> {
                    Object value = t.text().matches("\\d+") ? (Object) Long.parseLong(t.text())
                            : (Object) Double.parseDouble(t.text());
                    return new Literal(value, t.text());
                }
                case IDENT -> {
                    if (peek().is("(")) {
                        next();
                        List<Expr> args = new ArrayList<>();
                        skipNewlines();
                        while (!peek().is(")")) {
                            args.add(expr(false));
                            skipNewlines();
                            if (peek().is(",")) {
                                next();
                                skipNewlines();
                            } else if (peek().is("...")) {
                                next();
                                skipNewlines();
                            }
                        }
                        expect(")");
                        String text = t.text() + "(" + String.join(", ", args.stream().map(Expr::text).toList()) + ")";
                        return new Call(t.text(), List.copyOf(args), text);
                    }
                    return switch (t.text()) {
                        case "true" -> new Literal(Boolean.TRUE, "true");
                        case "false" -> new Literal(Boolean.FALSE, "false");
                        case "null" -> new Literal(null, "null");
                        default -> new Raw(t.text());
                    };
                }
                case PUNCT -> {
                    if (t.is("[")) {
                        return tuple();
                    }
                    if (t.is("{")) {
                        return object();
                    }
                    if (t.is("(")) {
                        Expr inner = expr(false);
                        skipNewlines();
                        expect(")");
                        return new Raw("( " + inner.text() + " )");
                    }
                    if (t.is(".") || t.is(":") || t.is("?") || t.is("=>") || t.is("*") || t.is("+")
                            || t.is("-") || t.is("/") || t.is("%") || t.is("!") || t.is("<") || t.is(">")
                            || t.is("==") || t.is("!=") || t.is("<=") || t.is(">=") || t.is("&&")
                            || t.is("||") || t.is("...")) {
                        return new Raw(t.text());
                    }
                    throw error(t, "unexpected token");
                }
                default -> throw error(t, "unexpected token");
            }
        }

        /** After '['. A for-expression is kept raw. */
        Expr tuple() {
            skipNewlines();
            if (peek().kind() == Kind.IDENT && peek().text().equals("for")) {
                return new Raw("[ " + rawUntil("]") + " ]");
            }
            List<Expr> items = new ArrayList<>();
            while (true) {
                skipNewlines();
                if (peek().is("]")) {
                    next();
                    break;
                }
                items.add(expr(false));
                skipNewlines();
                if (peek().is(",")) {
                    next();
                } else if (!peek().is("]")) {
                    throw error(peek(), "expected ',' or ']'");
                }
            }
            String text = "[" + String.join(", ", items.stream().map(Expr::text).toList()) + "]";
            return new Tuple(List.copyOf(items), text);
        }

        /** After '{'. Keys are identifiers or strings, then '=' or ':'. A for-expression is kept raw. */
        Expr object() {
            skipNewlines();
            if (peek().kind() == Kind.IDENT && peek().text().equals("for")) {
                return new Raw("{ " + rawUntil("}") + " }");
            }
            Map<String, Expr> entries = new LinkedHashMap<>();
            while (true) {
                skipNewlines();
                if (peek().is("}")) {
                    next();
                    break;
                }
                Token key = next();
                if (key.kind() != Kind.IDENT && key.kind() != Kind.STRING) {
                    throw error(key, "expected an object key");
                }
                Token sep = next();
                if (!sep.is("=") && !sep.is(":")) {
                    throw error(sep, "expected '=' or ':' after key " + key.text());
                }
                entries.put(key.text(), expr(true));
                if (peek().is(",")) {
                    next();
                } else if (!(peek().kind() == Kind.NEWLINE || peek().is("}"))) {
                    throw error(peek(), "expected ',', newline or '}'");
                }
            }
            String text = "{" + String.join(", ", entries.entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue().text()).toList()) + "}";
            return new Obj(entries, text);
        }

        /** Raw token text up to the bracket closing the one just opened; consumes the closer. */
        String rawUntil(String closer) {
            List<String> parts = new ArrayList<>();
            int depth = 0;
            while (true) {
                Token t = next();
                if (t.kind() == Kind.EOF) {
                    throw error(t, "unbalanced brackets");
                }
                if (t.kind() == Kind.NEWLINE) {
                    continue;
                }
                if (depth == 0 && t.is(closer)) {
                    return join(parts);
                }
                if (t.is("[") || t.is("{") || t.is("(")) {
                    depth++;
                } else if (t.is("]") || t.is("}") || t.is(")")) {
                    depth--;
                }
                parts.add(t.kind() == Kind.STRING || t.kind() == Kind.TEMPLATE ? quote(t.text()) : t.text());
            }
        }

        private static String quote(String s) {
            return "\"" + s + "\"";
        }

        private static String unescape(String s) {
            return s.replace("\\\"", "\"").replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        }
    }
}
