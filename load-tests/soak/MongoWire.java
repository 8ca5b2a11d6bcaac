import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The soak's MongoDB for the reviews service: the in-memory MongoDB-wire server the all-in-one embeds, as its own
 * process (this machine has no MongoDB). Run as a single-file program on the all-in-one jar's classpath:
 * {@code java -cp tarifa-app-all.jar load-tests/soak/MongoWire.java <port>}; stops on SIGTERM.
 */
public class MongoWire {
  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    System.out.println("MongoDB-wire server on 127.0.0.1:" + args[0]);
    Thread.currentThread().join();
  }
}
