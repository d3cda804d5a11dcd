package dev.reqflow.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Socket reads, where the agent weaves its hook for I/O outside recorded calls ({@code
 * NioSocketImpl.read}, {@code SocketChannelImpl.read}): each operation writes one byte into one end
 * of a loopback connection and reads it from the other, on the benchmark's thread, so that the read
 * finds its data and never waits for the network. {@link SocketOutsideFlow}: a thread outside any
 * flow, what every socket read of the application pays once the agent is loaded (the budget: a
 * thread-local read); {@link SocketInsideFlow}: inside a flow, where each read is counted and, with
 * the benchmark's {@code block.threshold=0}, written as a block span.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class SocketHooks {
  private ServerSocket server;
  private Socket writer;
  private Socket reader;
  private OutputStream out;
  private InputStream in;
  private final byte[] one = new byte[1];
  private ServerSocketChannel channelServer;
  private SocketChannel channelWriter;
  private SocketChannel channelReader;
  private final ByteBuffer channelOut = ByteBuffer.allocateDirect(1);
  private final ByteBuffer channelIn = ByteBuffer.allocateDirect(1);

  @Setup
  public void connect() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    server = new ServerSocket(0, 1, loopback);
    writer = new Socket(loopback, server.getLocalPort());
    writer.setTcpNoDelay(true);
    reader = server.accept();
    out = writer.getOutputStream();
    in = reader.getInputStream();
    channelServer = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
    channelWriter = SocketChannel.open(channelServer.getLocalAddress());
    channelWriter.socket().setTcpNoDelay(true);
    channelReader = channelServer.accept();
  }

  @TearDown
  public void close() throws IOException {
    for (AutoCloseable c :
        new AutoCloseable[] {writer, reader, server, channelWriter, channelReader, channelServer}) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a benchmark's sockets: nothing to do about it
      }
    }
  }

  /** {@code Socket} streams: {@code NioSocketImpl.read}. */
  @Benchmark
  public int socketRead() throws IOException {
    out.write(1);
    return in.read(one, 0, 1);
  }

  /**
   * A blocking {@code SocketChannel}: {@code SocketChannelImpl.read}, its blocking mode checked.
   */
  @Benchmark
  public int channelRead() throws IOException {
    channelOut.clear();
    channelOut.put((byte) 1).flip();
    channelWriter.write(channelOut);
    channelIn.clear();
    return channelReader.read(channelIn);
  }
}
