// The reviews service's MongoDB for the fault campaign: the in-memory MongoDB-wire server the all-in-one embeds
// (mongo-java-server, from the app jar's classpath), on its own port; no MongoDB runs on this machine. Run as a
// single-file program: java -cp verticles/app/target/tarifa-app-all.jar load-tests/faults/MongoStandIn.java PORT
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

public class MongoStandIn {
  public static void main(String[] args) throws Exception {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    Thread.currentThread().join();
  }
}
