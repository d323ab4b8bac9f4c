package dev.kiln.magics.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretDetectorTest {

    @Test
    void keysTokensAndPasswordsLookSecret() {
        for (String v : List.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE",
                "ghp_16C7e42F292c6912E7710c838347Ae178B4a", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
                "xoxb-123456789012-abcdefghijkl", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
                "postgresql://kiln:pw@db:5432/app", "-Dx=1 password=hunter22",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "0123456789abcdef0123456789abcdef01234567")) {
            assertTrue(SecretDetector.looksSecret(v), "should look secret: " + v.substring(0, 6));
        }
    }

    @Test
    void ordinarySettingsDoNot() {
        for (String v : List.of("/usr/lib/jvm/java-17-openjdk-amd64", "en_US.UTF-8", "-Xmx2g", "-XX:+UseG1GC",
                "jackson-databind-2.17.2.jar", "-Dfile.encoding=UTF-8", "-Djava.io.tmpdir=/tmp", "Europe/Berlin",
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005", "/home/jane/projects/climate",
                "org.apache.commons.lang3.StringUtils", "ghcr.io/kiln/kiln:0.1", "-Xlog:gc*:file=/tmp/gc.log")) {
            assertFalse(SecretDetector.looksSecret(v), "should not look secret: " + v);
        }
    }

    @Test
    void secretNamesAreRecognisedButTheWorkingDirectoryIsNot() {
        for (String n : List.of("AWS_SECRET_ACCESS_KEY", "AWS_REGION", "GITHUB_TOKEN", "DB_PASSWORD", "db.password", "API_KEY",
                "GOOGLE_APPLICATION_CREDENTIALS", "PGPASS", "MYSQL_PWD", "aws.secretKey")) {
            assertTrue(SecretDetector.isSecretName(n), n);
        }
        for (String n : List.of("PWD", "OLDPWD", "JAVA_HOME", "LANG", "TZ", "PATH", "KILN_IMAGE")) {
            assertFalse(SecretDetector.isSecretName(n), n);
        }
    }

    @Test
    void redactionKeepsTheShapeAndCutsTheSecret() {
        assertEquals("jdbc:postgresql://db/app?user=kiln&password=<redacted>",
                SecretDetector.redact("jdbc:postgresql://db/app?user=kiln&password=pw123"));
        assertEquals("https://svc:<redacted>@api.internal/v1", SecretDetector.redact("https://svc:pw@api.internal/v1"));
        assertEquals("-Dapi.token=<redacted>", EnvironmentRecorder.redactOption("-Dapi.token=abc"));
        assertEquals("-Xmx1g", EnvironmentRecorder.redactOption("-Xmx1g"));
    }
}
