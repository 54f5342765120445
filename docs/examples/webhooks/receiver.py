# A webhook receiver in Python 3 (the standard library alone): verifies each delivery as Standard
# Webhooks describes, then acts on the event once. Run: WEBHOOK_SECRET=whsec_… python3 receiver.py
import base64
import hashlib
import hmac
import json
import os
import re
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify_webhook(secret, headers, body, now=None):
    """The event (a dict) when one of the delivery's signatures is valid and its timestamp recent, else None."""
    msg_id, timestamp, signatures = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures or not re.fullmatch(r"\d{1,12}", timestamp):
        return None
    if abs((time.time() if now is None else now) - int(timestamp)) > TOLERANCE_SECONDS:
        return None
    key = base64.b64decode(secret[len("whsec_"):])
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()).decode()
    # "v1,<base64>", space-separated: two of them while the secret is being rotated. Either will do.
    if any(s.startswith("v1,") and hmac.compare_digest(s[3:], expected) for s in signatures.split(" ")):
        return json.loads(body)
    return None


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode("utf-8")
        event = verify_webhook(os.environ.get("WEBHOOK_SECRET", ""), self.headers, body)
        if event is None:
            self.send_response(400)
            self.end_headers()
            return
        # Deliveries repeat: act once per event["id"] (e.g. a unique key in your database), then answer 2xx.
        print(f"verified {event['id']} {event['type']} {event['data']['orderNo']}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Receiver)
print(f"listening on {server.server_port}", flush=True)
server.serve_forever()
