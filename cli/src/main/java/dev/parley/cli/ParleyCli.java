package dev.parley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The {@code parley} command: {@code parley demo}, {@code parley node}. */
@Command(name = "parley",
        description = "Parley: streaming conversations and messages.",
        mixinStandardHelpOptions = true,
        versionProvider = ParleyCli.Version.class,
        subcommands = {DemoCommand.class, NodeCommand.class, CommandLine.HelpCommand.class})
public final class ParleyCli implements Runnable {
    @Spec
    CommandSpec spec;

    public ParleyCli() {
        QuietLogging.install();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ParleyCli()).execute(args));
    }

    /** Without a subcommand: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The Maven project version, filtered into {@code version.properties} at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = ParleyCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"parley " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
