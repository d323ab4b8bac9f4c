package dev.kiln.kernel.guard;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The kernel's Java agent ({@code -javaagent:kiln-agent.jar}): rewrites {@code Runtime.exit} and
 * {@code Runtime.halt} to call {@link ExitGate#check} first. The security manager that used to stop
 * {@code System.exit} is gone from Java 24 on; rewriting the JDK's own two methods stops every
 * caller, where rewriting the cells' classes would miss libraries, reflection and method handles.
 * Runtime, a bootstrap class, reaches ExitGate through the system class loader and a method handle:
 * putting ExitGate on the bootstrap class path instead turns the kernel's CDS archive off (Java 25).
 */
public final class ExitGuardAgent {

    /** The agent jar's name, next to the kernelspec's kernel.json. */
    public static final String JAR_NAME = "kiln-agent.jar";
    private static volatile boolean installed;
    private static volatile Instrumentation instrumentation;

    private ExitGuardAgent() {
    }

    /** Whether the JVM started with this agent, so that {@link #install} can rewrite Runtime. */
    public static boolean present() {
        return instrumentation != null;
    }

    /** Whether this JVM's Runtime.exit and Runtime.halt go through the gate. */
    public static boolean installed() {
        return installed;
    }

    /**
     * Only keeps the JVM's instrumentation: the rewrite (ASM reading and writing Runtime, a tenth of
     * a second of CPU) waits for {@link #install}, which the kernel calls after it has answered its
     * first request and before any cell runs.
     */
    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** Rewrites Runtime.exit and Runtime.halt (once; later calls return at once); says so on stderr if it cannot. */
    public static synchronized void install() {
        Instrumentation inst = instrumentation;
        if (inst == null || installed) {
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

    /**
     * {@code bytes} of java.lang.Runtime with, first in exit(int) and halt(int):
     * {@code publicLookup().findStatic(Class.forName(ExitGate, true, systemLoader), "check", (String, int) void)
     * .invokeExact(name, status)}: a method handle lets ExitGate's exception through as it is.
     */
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
                        String check = "(Ljava/lang/String;I)V";
                        visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "publicLookup",
                                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
                        visitLdcInsn(ExitGate.class.getName());
                        visitInsn(Opcodes.ICONST_1);
                        visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader",
                                "()Ljava/lang/ClassLoader;", false);
                        visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                                "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", false);
                        visitLdcInsn("check");
                        visitLdcInsn(Type.getMethodType(check));
                        visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findStatic",
                                "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", false);
                        visitLdcInsn(name);
                        visitVarInsn(Opcodes.ILOAD, 1);
                        visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", check, false);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Writes the agent jar: a manifest naming this class, which loads from the kernel's class path, with ASM. */
    public static void writeJar(OutputStream out) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", ExitGuardAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        new JarOutputStream(out, manifest).finish();
    }
}
