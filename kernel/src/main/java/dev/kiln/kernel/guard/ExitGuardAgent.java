package dev.kiln.kernel.guard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The kernel's Java agent ({@code -javaagent:kiln-agent.jar}): rewrites {@code Runtime.exit} and
 * {@code Runtime.halt} to ask {@link ExitGate} first. The security manager that used to stop
 * {@code System.exit} is gone from Java 24 on; rewriting the JDK's own two methods stops every
 * caller, where rewriting the cells' classes would miss libraries, reflection and method handles.
 */
public final class ExitGuardAgent {

    /** The agent jar's name, next to the kernelspec's kernel.json. */
    public static final String JAR_NAME = "kiln-agent.jar";
    /** ExitGate by name: naming its class would load it before it is on the bootstrap class path. */
    static final String GATE = "dev/kiln/kernel/guard/ExitGate";
    private static volatile boolean installed;

    private ExitGuardAgent() {
    }

    /** Ends the JVM with {@code status}: the kernel's own exit, the one the gate lets through. */
    public static void exitKernel(int status) {
        System.setProperty(ExitGate.KERNEL_EXITING, "true"); // a constant: ExitGate itself is not loaded here
        System.exit(status);
    }

    /** Whether this JVM's Runtime.exit and Runtime.halt go through the gate. */
    public static boolean installed() {
        return installed;
    }

    /** @param agentJar this agent's jar, which holds ExitGate: the kernelspec passes it as the agent's argument */
    public static void premain(String agentJar, Instrumentation inst) {
        try {
            // where java.lang.Runtime can see ExitGate. The manifest's Boot-Class-Path would do it too,
            // but a boot class path other than the one the kernel's CDS archive was made with turns the archive off
            inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
        } catch (IOException | RuntimeException e) {
            System.err.println("kiln: System.exit in a cell will end the kernel: the agent jar " + agentJar
                    + " could not be read (" + e + "). Reinstall the kernelspec: kiln kernel install");
            return;
        }
        if (ExitGate.class.getClassLoader() != null) {
            // java.lang.Runtime could not see the gate: every exit, the kernel's own too, would fail
            System.err.println("kiln: System.exit in a cell will end the kernel: ExitGate is not in the agent jar "
                    + agentJar + ". Reinstall the kernelspec: kiln kernel install");
            return;
        }
        Throwable[] failure = new Throwable[1];
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                    ProtectionDomain domain, byte[] bytes) {
                if (!name.equals("java/lang/Runtime")) {
                    return null;
                }
                try {
                    byte[] gated = gateExits(bytes);
                    installed = true;
                    return gated;
                } catch (Throwable e) { // the JVM would swallow it and keep Runtime as it was
                    failure[0] = e;
                    return null;
                }
            }
        };
        try {
            inst.addTransformer(transformer, true);
            inst.retransformClasses(Runtime.class);
        } catch (Throwable e) {
            failure[0] = e;
            installed = false;
        } finally {
            inst.removeTransformer(transformer);
        }
        if (!installed) {
            System.err.println("kiln: System.exit in a cell will end the kernel on this JVM: Runtime could not be"
                    + " rewritten (" + failure[0] + ")");
        }
    }

    /** {@code bytes} of java.lang.Runtime with {@code ExitGate.check(name, status)} first in exit(int) and halt(int). */
    static byte[] gateExits(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!(name.equals("exit") || name.equals("halt")) || !descriptor.equals("(I)V")) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitLdcInsn(name);
                        super.visitVarInsn(Opcodes.ILOAD, 1);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, GATE, "check", "(Ljava/lang/String;I)V", false);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /**
     * Writes the agent jar: a manifest naming this class, and ExitGate, which {@link #premain} puts
     * on the bootstrap class path. This class itself loads from the kernel's class path, with ASM.
     */
    public static void writeJar(OutputStream out) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", ExitGuardAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        String gate = GATE + ".class";
        try (JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream in = ExitGuardAgent.class.getClassLoader().getResourceAsStream(gate)) {
            if (in == null) {
                throw new IOException(gate + " is missing from the kernel's class path");
            }
            jar.putNextEntry(new JarEntry(gate));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
