package io.sluice.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback in front of a service, that can make the service unreachable as a
 * crashed or partitioned one is: {@link #cut()} closes every open connection and the listening
 * port (new connections are refused), {@link #restore()} listens on the same port again. The
 * registry itself keeps running, so its schemas and ids survive, as a real registry's stored ones do.
 */
final class UnreachableService implements AutoCloseable {
    private final int port;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private UnreachableService(int port, int target) {
        this.port = port;
        this.target = target;
    }

    /** Forwards a free loopback port to {@code targetPort}. */
    static UnreachableService inFrontOf(int targetPort) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        UnreachableService service = new UnreachableService(port, targetPort);
        service.restore();
        return service;
    }

    int port() {
        return port;
    }

    /** Drops every connection and refuses new ones. */
    synchronized void cut() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    /** Accepts connections again, on the same port. */
    synchronized void restore() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = socket;
        Thread acceptor = new Thread(() -> accept(socket), "unreachable-service-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                return; // closed by cut()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // the other side or cut() closed the connection
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "unreachable-service-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
