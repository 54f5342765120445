// A webhook receiver in Java 17 (the JDK alone): verifies each delivery as Standard Webhooks
// describes, then acts on the event once. Run: WEBHOOK_SECRET=whsec_… java WebhookReceiver.java
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WebhookReceiver {
    static final long TOLERANCE_SECONDS = 5 * 60;

    /** True when one of the delivery's signatures is valid and its timestamp recent. */
    public static boolean verify(String secret, String id, String timestamp, String signatures, String body, long nowSeconds) throws Exception {
        if (id == null || timestamp == null || signatures == null || !timestamp.matches("\\d{1,12}")) return false;
        if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) return false;
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        // "v1,<base64>", space-separated: two of them while the secret is being rotated. Either will do.
        for (String s : signatures.split(" ")) {
            if (s.startsWith("v1,") && MessageDigest.isEqual(expected, s.substring(3).getBytes(StandardCharsets.UTF_8))) return true;
        }
        return false;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    public static void main(String[] args) throws IOException {
        String secret = System.getenv().getOrDefault("WEBHOOK_SECRET", "");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"))), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var h = exchange.getRequestHeaders();
            boolean valid;
            try {
                valid = verify(secret, h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"), body, System.currentTimeMillis() / 1000);
            } catch (Exception e) {
                valid = false;
            }
            if (!valid) {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            // Deliveries repeat: act once per event id (e.g. a unique key in your database), then answer 2xx.
            // Parse the body with your JSON library (Jackson, Gson); the fields are in docs/reference/events.md.
            System.out.println("verified " + field(body, "id") + " " + field(body, "type") + " " + field(body, "orderNo"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        System.out.println("listening on " + server.getAddress().getPort());
    }
}
