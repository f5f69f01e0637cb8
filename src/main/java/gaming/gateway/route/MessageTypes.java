package gaming.gateway.route;

import com.google.protobuf.Message;

import java.lang.reflect.Method;

/** Finds the generated class of a Protobuf message by its full name, e.g. {@code ai.llm.v1.InferRequest}. */
final class MessageTypes {
    private MessageTypes() {
    }

    /**
     * The default instance of the generated message named {@code fullName}, or null when no
     * generated class has that name. The contracts in {@code proto/} use the proto package as Java
     * package with one class per message, so the names are the same; nested messages use {@code $}.
     */
    static Message resolve(String fullName) {
        String className = fullName;
        while (true) {
            Message found = load(className, fullName);
            if (found != null) {
                return found;
            }
            int dot = className.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            className = className.substring(0, dot) + '$' + className.substring(dot + 1);
        }
    }

    private static Message load(String className, String fullName) {
        try {
            Class<?> type = Class.forName(className, true, MessageTypes.class.getClassLoader());
            if (!Message.class.isAssignableFrom(type)) {
                return null;
            }
            Method method = type.getMethod("getDefaultInstance");
            Message instance = (Message) method.invoke(null);
            return instance.getDescriptorForType().getFullName().equals(fullName) ? instance : null;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load message class " + className, e);
        }
    }
}
