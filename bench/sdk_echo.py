"""line-bot-sdk's echo bot (the SDK's examples/flask-echo, v3 API), unchanged except that its
Configuration points at the local fake LINE API: the baseline of `bench/officer_bench.py`.

It verifies the signature and parses the body with the SDK's WebhookHandler, and replies
inside the webhook request with MessagingApi.reply_message_with_http_info, as the example
does (a new ApiClient per event, as in the example)."""

from __future__ import annotations

from flask import Flask, abort, request
from linebot.v3 import WebhookHandler
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest, TextMessage
from linebot.v3.webhooks import MessageEvent, PostbackEvent, TextMessageContent


def create_echo_app(channel_secret: str, access_token: str, api_host: str) -> Flask:
    app = Flask("sdk_echo")
    configuration = Configuration(access_token=access_token, host=api_host)
    handler = WebhookHandler(channel_secret)

    @app.route("/callback", methods=["POST"])
    def callback() -> str:
        signature = request.headers["X-Line-Signature"]
        body = request.get_data(as_text=True)
        try:
            handler.handle(body, signature)
        except InvalidSignatureError:
            abort(400)
        return "OK"

    @handler.add(MessageEvent, message=TextMessageContent)
    def handle_message(event: MessageEvent) -> None:
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(
                ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=event.message.text)]))

    @handler.add(PostbackEvent)
    def handle_postback(event: PostbackEvent) -> None:  # the bench posts the same kind of events to both
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(
                ReplyMessageRequest(reply_token=event.reply_token, messages=[TextMessage(text=event.postback.data)]))

    return app
