package io.itsm.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/** Checks that the stack's ports are free on 127.0.0.1 and finds free ones for tests. */
public final class Ports {

    public static final String HOST = "127.0.0.1";

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /** Fails with a message naming the variable to change when something already listens on the port. */
    public static void requireFree(int port, String what, String variable) {
        if (!isFree(port)) {
            throw new LocalStackException("port " + port + " (" + what + ") is already in use: set " + variable
                    + " to another port");
        }
    }

    /** Whether a server socket can be bound to 127.0.0.1 on this port right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1 on this port. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that is free now and was not handed out before by this JVM. */
    public static synchronized int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new LocalStackException("could not find a free port on " + HOST, e);
            }
        }
        throw new LocalStackException("could not find a free port on " + HOST);
    }
}
