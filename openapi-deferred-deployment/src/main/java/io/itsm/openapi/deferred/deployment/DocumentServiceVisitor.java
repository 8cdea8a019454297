package io.itsm.openapi.deferred.deployment;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import io.itsm.openapi.deferred.DeferredDocuments;

/**
 * The rewrite of {@code io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService}:
 * <ul>
 * <li>{@code prepareDocument(AutoSecurityFilter, Map, String)} is renamed {@link DeferredDocuments#PREPARE_NOW};</li>
 * <li>a new {@code prepareDocument} with the same signature calls {@link DeferredDocuments#defer} with
 * {@code this} and its arguments;</li>
 * <li>{@code getDocument(String, Format)} first calls {@link DeferredDocuments#prepare} with {@code this}.</li>
 * </ul>
 * A class without either method fails the build: quarkus-smallrye-openapi changed, and this extension has to be
 * looked at (or removed, when the platform builds the document lazily itself).
 */
final class DocumentServiceVisitor extends ClassVisitor {

    static final String DOCUMENT_SERVICE = "io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService";

    static final String PREPARE = "prepareDocument";
    static final String PREPARE_DESCRIPTOR = "(Lio/quarkus/smallrye/openapi/runtime/filter/AutoSecurityFilter;"
            + "Ljava/util/Map;Ljava/lang/String;)V";
    static final String GET = "getDocument";
    static final String GET_DESCRIPTOR = "(Ljava/lang/String;Lio/smallrye/openapi/runtime/io/Format;)[B";

    private static final String DEFERRED = DeferredDocuments.class.getName().replace('.', '/');

    private int prepareAccess = -1;
    private boolean getFound;

    DocumentServiceVisitor(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
            String[] exceptions) {
        if (name.equals(PREPARE) && descriptor.equals(PREPARE_DESCRIPTOR)) {
            prepareAccess = access;
            return super.visitMethod(access, DeferredDocuments.PREPARE_NOW, descriptor, signature, exceptions);
        }
        MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (name.equals(GET) && descriptor.equals(GET_DESCRIPTOR)) {
            getFound = true;
            return new MethodVisitor(Opcodes.ASM9, method) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DEFERRED, "prepare", "(Ljava/lang/Object;)V", false);
                }
            };
        }
        return method;
    }

    @Override
    public void visitEnd() {
        if (prepareAccess < 0 || !getFound) {
            throw new IllegalStateException(DOCUMENT_SERVICE + " has no " + (prepareAccess < 0
                    ? PREPARE + PREPARE_DESCRIPTOR
                    : GET + GET_DESCRIPTOR)
                    + " any more: quarkus-smallrye-openapi changed, and the openapi-deferred extension has to be "
                    + "adapted, or removed if the platform now builds the document on its first request");
        }
        MethodVisitor prepare = super.visitMethod(prepareAccess, PREPARE, PREPARE_DESCRIPTOR, null, null);
        prepare.visitCode();
        prepare.visitVarInsn(Opcodes.ALOAD, 0);
        prepare.visitVarInsn(Opcodes.ALOAD, 1);
        prepare.visitVarInsn(Opcodes.ALOAD, 2);
        prepare.visitVarInsn(Opcodes.ALOAD, 3);
        prepare.visitMethodInsn(Opcodes.INVOKESTATIC, DEFERRED, "defer",
                "(Ljava/lang/Object;Ljava/lang/Object;Ljava/util/Map;Ljava/lang/String;)V", false);
        prepare.visitInsn(Opcodes.RETURN);
        prepare.visitMaxs(4, 4);
        prepare.visitEnd();
        super.visitEnd();
    }
}
