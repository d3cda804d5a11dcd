package dev.reqflow.bench.overhead;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import com.sun.management.ThreadMXBean;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Looks inside the page server over JMX, attached after its first page (so startup is not charged
 * for it, and every variant pays the same): the bytes each thread has allocated, and the threads.
 * The JMX connection's own threads are left out of both.
 */
final class ServerProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MBeanServerConnection server;
  private final ThreadMXBean threads;

  private final List<GarbageCollectorMXBean> collectors = new ArrayList<>();
  private final List<MemoryPoolMXBean> edens = new ArrayList<>();
  private final AtomicLong edenCollected = new AtomicLong();
  private final AtomicLong collectionsSeen = new AtomicLong();

  private ServerProbe(JMXConnector connector) throws Exception {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
    this.threads =
        ManagementFactory.newPlatformMXBeanProxy(
            server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    NotificationListener listener = (notification, handback) -> collected(notification);
    for (ObjectName name :
        server.queryNames(
            new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      collectors.add(
          ManagementFactory.newPlatformMXBeanProxy(
              server, name.toString(), GarbageCollectorMXBean.class));
      server.addNotificationListener(name, listener, null, null);
    }
    for (ObjectName name :
        server.queryNames(
            new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      MemoryPoolMXBean pool =
          ManagementFactory.newPlatformMXBeanProxy(server, name.toString(), MemoryPoolMXBean.class);
      if (pool.getName().contains("Eden")) {
        edens.add(pool);
      }
    }
  }

  private void collected(Notification notification) {
    if (!notification
        .getType()
        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      return;
    }
    GcInfo gc =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo();
    for (Map.Entry<String, MemoryUsage> before : gc.getMemoryUsageBeforeGc().entrySet()) {
      if (before.getKey().contains("Eden")) {
        MemoryUsage after = gc.getMemoryUsageAfterGc().get(before.getKey());
        edenCollected.addAndGet(
            before.getValue().getUsed() - (after == null ? 0 : after.getUsed()));
      }
    }
    collectionsSeen.incrementAndGet();
  }

  /**
   * Bytes allocated in the heap so far, as the young generation saw them: what each collection
   * found in eden, plus what is in eden now. Every thread's allocations count, the ones of threads
   * that have ended included (the sample app starts a thread per async step of the JDK client);
   * objects too large for eden, allocated in the old generation directly, do not.
   */
  long heapAllocatedBytes() throws InterruptedException {
    long collections = 0;
    for (GarbageCollectorMXBean c : collectors) {
      collections += c.getCollectionCount();
    }
    // Notifications come over the connection after the collection: wait for the last ones.
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (collectionsSeen.get() < collections && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    long inEden = 0;
    for (MemoryPoolMXBean eden : edens) {
      inEden += eden.getUsage().getUsed();
    }
    return edenCollected.get() + inEden;
  }

  static ServerProbe attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    return new ServerProbe(JMXConnectorFactory.connect(new JMXServiceURL(address)));
  }

  /**
   * Loads a native agent into the page server (async-profiler, to start or stop it around the
   * measured window).
   */
  static void loadNativeAgent(long pid, String library, String arguments) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgentPath(library, arguments);
    } finally {
      vm.detach();
    }
  }

  /** Bytes allocated so far by each live thread of the application and its agent, by thread id. */
  Map<Long, Long> allocatedBytes() {
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null && bytes[i] >= 0 && !isMeasurement(infos[i].getThreadName())) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  /**
   * Bytes allocated between two snapshots: what threads alive in both added, plus all of what
   * threads started since allocated. A thread that ended in between takes its last bytes with it;
   * the pools of the sample app and of both agents keep idle threads for a minute or more, longer
   * than a measuring window, so this loses little.
   */
  static long allocatedBetween(Map<Long, Long> before, Map<Long, Long> after) {
    long total = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  /**
   * Methods waiting in the JIT compilers' queues ({@code jcmd PID Compiler.queue}, through the
   * diagnostic command MBean), the ones being compiled included.
   */
  int compileQueueLength() throws Exception {
    String queue =
        (String)
            server.invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerQueue",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
    int methods = 0;
    for (String line : queue.split("\n")) {
      // "4950       4       sun.nio.ch.Util$2::clear (10 bytes)", or the same after a thread name
      if (line.contains("::")) {
        methods++;
      }
    }
    return methods;
  }

  /** The names of the live threads of the application and its agent. */
  List<String> threadNames() {
    List<String> names = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && !isMeasurement(info.getThreadName())) {
        names.add(info.getThreadName());
      }
    }
    return names;
  }

  /** The collectors the JVM picked, e.g. {@code Copy, MarkSweepCompact} (Serial) on one CPU. */
  String collectors() {
    List<String> names = new ArrayList<>();
    collectors.forEach(c -> names.add(c.getName()));
    return String.join(", ", names);
  }

  private static boolean isMeasurement(String name) {
    return name.startsWith("RMI ") || name.startsWith("JMX ") || name.equals("Attach Listener");
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
