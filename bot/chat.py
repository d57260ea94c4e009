"""`python -m bot chat`: a terminal conversation through the real path. The fake LINE API and
the app run in-process (werkzeug servers on free ports); each line typed becomes a signed
webhook request; what the fake LINE API received for the user is printed readably: texts,
Flex cards as text, quick replies and buttons as numbered choices (type the number to tap),
images as file paths. `/image PATH` sends a local picture as a LINE image message;
`/location LAT LNG [ADDRESS]` a LINE location message (what "ส่งตำแหน่ง" sends)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.serving import make_server

from bot.config import Settings
from bot.fakeline import FakeLine
from bot.testing import LineClient

SERVING = "(ลิงก์ดาวน์โหลดและรูปในแชตนี้เปิดได้ที่ {url} ตลอดเวลาที่แชตยังเปิดอยู่)"
LOCAL_SECRET = "local-chat-secret"
LOCAL_TOKEN = "local-chat-token"
LOCAL_LOGIN = ("1000000001", "local-login-secret")  # the fake's LINE Login channel
LOCAL_LIFF = f"{LOCAL_LOGIN[0]}-localliff"  # a LIFF app of that channel (the fake LIFF SDK)
LOCATION_COMMAND = "/location ละติจูด ลองจิจูด [ที่อยู่]"
HELP = (
    "พิมพ์ข้อความแล้วกด Enter · ตัวเลข = แตะตัวเลือก · /image PATH = ส่งรูป · "
    f"{LOCATION_COMMAND} = ส่งตำแหน่ง · "
    "/as NAME = เปลี่ยนผู้ใช้ (demo-officer, demo-producer, demo-new หรือ U...) · /quit = ออก"
)

LOCATION_USAGE = (f"(ส่งตำแหน่ง: {LOCATION_COMMAND} เช่น "
                  "/location 19.91 99.83 99 หมู่ 3 ตำบลป่าแดด อำเภอป่าแดด เชียงราย 57190)")


class ChatSession:
    """The app + fake LINE API + one simulated user."""

    def __init__(self, settings: Settings, user: str = "demo-producer", deploy_menus: bool = True) -> None:
        from bot import richmenu
        from bot.app import create_app

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        from bot.demo import DEMO_USERS

        self.fake = FakeLine(access_token=LOCAL_TOKEN).start()
        self.fake.login.users = dict(DEMO_USERS)  # offered on the fake's sign-in page
        # The app's own server first: download links in the chat point at it (unless
        # PUBLIC_BASE_URL says otherwise), so a browser on this machine opens them and signs in
        # with the fake LINE Login.
        holder: dict[str, Any] = {}
        self.server = make_server("127.0.0.1", 0, lambda env, start: holder["wsgi"](env, start), threaded=True)
        local = f"http://127.0.0.1:{self.server.server_port}"
        base = settings.public_base_url if os.environ.get("PUBLIC_BASE_URL") else local
        self.settings = settings.with_(line_channel_secret=LOCAL_SECRET, line_channel_access_token=LOCAL_TOKEN,
                                       line_api_base_url=self.fake.url, public_base_url=base,
                                       line_login_channel_id=LOCAL_LOGIN[0], line_login_channel_secret=LOCAL_LOGIN[1],
                                       liff_id=settings.liff_id or LOCAL_LIFF,
                                       # the local chat only: the public development keys unless real ones are set
                                       pii_dev_keys=settings.pii_dev_keys or not settings.pii_keys)
        self.app = create_app(self.settings)
        # /media/ pictures (product photos, charts) are served by the chat's server too.
        self.wsgi = holder["wsgi"] = SharedDataMiddleware(self.app.wsgi_app, {"/media": str(self.settings.media_dir)})
        self.runtime = self.app.extensions["otop"]
        self.base_url = local
        self.url = f"{local}/callback"
        threading.Thread(target=self.server.serve_forever, name="chat-app", daemon=True).start()
        self.client = LineClient(self._post, self.fake, LOCAL_SECRET, self.runtime.wait_idle, timeout=30)
        if deploy_menus:
            richmenu.deploy(self.runtime.api)
        self.user = resolve_user(user)
        self.choices: list[dict[str, Any]] = []
        self.seen: dict[str, int] = {}  # messages already shown, per user (pushes show on /as)

    def _post(self, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def handle(self, line: str) -> list[str] | None:
        """One line typed by the user -> lines to show (None = quit)."""
        line = line.strip()
        if not line:
            return []
        if line in ("/quit", "/exit", "/q"):
            return None
        if line in ("/help", "/?"):
            return [HELP]
        if line.startswith("/as "):
            self.seen[self.user] = len(self.fake.delivered_to(self.user))
            self.user = resolve_user(line[4:].strip())
            self.choices = []
            waiting = self.fake.delivered_to(self.user)[self.seen.get(self.user, 0):]
            shown = [f"(ตอนนี้คุยในฐานะ {self.user})"]
            if waiting:
                shown += ["(ข้อความที่ได้รับระหว่างนี้)"] + self.show(waiting)
            return shown
        if line.startswith("/image "):
            path = Path(line[7:].strip()).expanduser()
            if not path.is_file():
                return [f"(ไม่พบไฟล์ {path})"]
            return self.show(self.client.send_image(self.user, path.read_bytes()))
        if line.startswith("/location"):
            return self.location(line[len("/location"):])
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            action = self.choices[int(line) - 1]
            if action["type"] == "postback":
                return [f"> {action.get('displayText') or action['label']}"] + self.show(self.client.tap(self.user, action["data"]))
            if action["type"] == "uri":
                return [f"(เปิดลิงก์ในเบราว์เซอร์: {action['uri']} — หน้าเว็บและไฟล์ที่มีข้อมูลส่วนบุคคลจะให้"
                        "เข้าสู่ระบบด้วย LINE จำลองก่อน เลือกผู้ใช้ให้ตรงกับที่คุยอยู่ เช่น demo-officer)"]
            return [f"> {action['text']}"] + self.show(self.client.say(self.user, action["text"]))
        return self.show(self.client.say(self.user, line))

    def location(self, args: str) -> list[str]:
        """`/location LAT LNG [ADDRESS]`: a LINE location message, as "ส่งตำแหน่ง" in LINE sends one."""
        parts = args.split(maxsplit=2)
        try:
            latitude, longitude = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return [LOCATION_USAGE]
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return [LOCATION_USAGE]
        address = parts[2].strip() if len(parts) > 2 else None
        shown = f"> [ตำแหน่ง] {latitude}, {longitude}" + (f" {address}" if address else "")
        return [shown] + self.show(self.client.send_location(self.user, latitude, longitude, address))

    def follow(self) -> list[str]:
        return self.show(self.client.follow(self.user))

    def show(self, messages: list[dict[str, Any]]) -> list[str]:
        """Messages as terminal lines; buttons and quick replies become numbered choices."""
        out: list[str] = []
        self.choices = []
        for message in messages:
            kind = message["type"]
            if kind == "text":
                out.extend("บอท: " + line if i == 0 else "     " + line for i, line in enumerate(message["text"].splitlines()))
            elif kind == "image":
                out.append(f"บอท: [รูป] {self._local(message['originalContentUrl'])}")
            elif kind == "flex":
                contents = message["contents"]
                bubbles = contents["contents"] if contents["type"] == "carousel" else [contents]
                for bubble in bubbles:
                    out.extend(self._bubble(bubble))
            else:
                out.append(f"บอท: [{kind}] {json.dumps(message, ensure_ascii=False)[:200]}")
            for item in (message.get("quickReply") or {}).get("items", []):
                self.choices.append(item["action"])
                out.append(f"  [{len(self.choices)}] {item['action']['label']}")
        return out

    def _bubble(self, bubble: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        hero = bubble.get("hero")
        if hero and hero.get("url"):
            lines.append(f"  [รูป] {self._local(hero['url'])}")
        texts = [c["text"] for c in (bubble.get("body") or {}).get("contents", []) if c.get("type") == "text"]
        if texts:
            lines.append(f"┌ {texts[0]}")
            lines.extend(f"│ {t}" for t in texts[1:])
        for component in (bubble.get("footer") or {}).get("contents", []):
            if component.get("type") == "button":
                self.choices.append(component["action"])
                lines.append(f"│ ({len(self.choices)}) {component['action']['label']}")
        lines.append("└")
        return lines

    def _local(self, url: str) -> str:
        """A picture as a file path to open: media files as they are, anything the app serves
        (charts behind download links) fetched from the app and saved under var/chat/."""
        base = self.settings.public_base_url
        if url.startswith(base + "/media/"):
            return str(self.settings.media_dir / url[len(base + "/media/"):])
        if url.startswith(base + "/"):
            response = self.app.test_client().get(url[len(base):])
            if response.status_code == 200:
                kind = (response.mimetype or "").split("/")[-1] or "bin"
                target = Path("var") / "chat" / f"{hashlib.sha256(url.encode()).hexdigest()[:16]}.{kind}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(response.data)
                return str(target)
        return url

    def close(self) -> None:
        self.server.shutdown()
        self.runtime.close()
        self.fake.stop()


def resolve_user(name: str) -> str:
    from bot.demo import DEMO_USERS

    return DEMO_USERS.get(name, name)


def run(lines: Iterable[str], settings: Settings, user: str = "demo-producer",
        out: Callable[[str], None] = print, prompt: Callable[[], None] | None = None) -> None:
    """Play `lines` as the user types them, writing what they would see to `out`."""
    session = ChatSession(settings, user)
    try:
        out(f"แชตทดลอง OTOP (ผู้ใช้: {user}) — {HELP}")
        out(SERVING.format(url=session.base_url))
        for line in session.follow():
            out(line)
        if prompt:
            prompt()
        for line in lines:
            shown = session.handle(line)
            if shown is None:
                break
            for text in shown:
                out(text)
            if prompt:
                prompt()
    finally:
        session.close()
