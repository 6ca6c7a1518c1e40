package dev.parley.checks.build;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parts of a pom.xml the checks read, as written (no inheritance, no interpolation). */
public final class Pom {
    /** A dependency or managed dependency; {@code version} is empty when the pom leaves it out. */
    public record Dependency(String groupId, String artifactId, Optional<String> version, String type, String scope) {
    }

    private final Path file;
    private final Element project;

    private Pom(Path file, Element project) {
        this.file = file;
        this.project = project;
    }

    public static Pom read(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            return new Pom(file, factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    public String artifactId() {
        return text(project, "artifactId").orElseThrow();
    }

    /** The packaging, {@code jar} when the pom does not say. */
    public String packaging() {
        return text(project, "packaging").orElse("jar");
    }

    /** The pom's own version, else its parent's. */
    public String version() {
        return text(project, "version").or(() -> child(project, "parent").flatMap(p -> text(p, "version")))
                .orElseThrow(() -> new IllegalStateException("no version in " + file));
    }

    public List<String> modules() {
        return child(project, "modules").map(m -> children(m, "module").stream().map(Pom::text).toList())
                .orElse(List.of());
    }

    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        child(project, "properties").ifPresent(p -> children(p, null).forEach(e -> properties.put(e.getTagName(), text(e))));
        return properties;
    }

    public Optional<String> property(String name) {
        return Optional.ofNullable(properties().get(name));
    }

    public List<Dependency> dependencies() {
        return dependenciesIn(project);
    }

    public List<Dependency> managedDependencies() {
        return child(project, "dependencyManagement").map(Pom::dependenciesIn).orElse(List.of());
    }

    /**
     * Plugin artifactId to version, from build/plugins and build/pluginManagement/plugins; a version
     * {@code ${name}} is replaced by the pom's property {@code name}.
     */
    public Map<String, String> pluginVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        child(project, "build").ifPresent(build -> {
            child(build, "pluginManagement").flatMap(m -> child(m, "plugins")).ifPresent(p -> addPluginVersions(p, versions));
            child(build, "plugins").ifPresent(p -> addPluginVersions(p, versions));
        });
        return versions;
    }

    private void addPluginVersions(Element plugins, Map<String, String> versions) {
        for (Element plugin : children(plugins, "plugin")) {
            text(plugin, "version").ifPresent(v -> versions.put(text(plugin, "artifactId").orElseThrow(), resolve(v)));
        }
    }

    private String resolve(String value) {
        if (value.startsWith("${") && value.endsWith("}")) {
            return property(value.substring(2, value.length() - 1)).orElse(value);
        }
        return value;
    }

    private static List<Dependency> dependenciesIn(Element parent) {
        return child(parent, "dependencies").map(ds -> children(ds, "dependency").stream()
                .map(d -> new Dependency(text(d, "groupId").orElseThrow(), text(d, "artifactId").orElseThrow(),
                        text(d, "version"), text(d, "type").orElse("jar"), text(d, "scope").orElse("compile")))
                .toList()).orElse(List.of());
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Child elements named {@code name}, or all child elements when {@code name} is null. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                found.add(e);
            }
        }
        return found;
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(Pom::text);
    }

    private static String text(Element element) {
        return element.getTextContent().trim();
    }
}
