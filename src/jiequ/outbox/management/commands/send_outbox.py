"""`jiequ send_outbox [--loop] [--interval S] [--limit N]`: send what is due in the outbox.

Once (for cron, every minute), or `--loop` as a standing worker (systemd, stopped with
SIGTERM/Ctrl-C after the message in hand). Several workers may run side by side.
"""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand, CommandParser

from jiequ.outbox import dispatch
from jiequ.outbox.models import MessageState, OutboxMessage


class Command(BaseCommand):
    help = "发送待发消息（诉求转区城运平台、通知、短信）/ Send the outbox messages that are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running as a worker")
        parser.add_argument("--interval", type=float, help="seconds between rounds (loop)")
        parser.add_argument("--limit", type=int, help="messages per round")

    def handle(self, *args, **options) -> str:
        if options["loop"]:
            stopping = {"now": False}

            def stop(*_args) -> None:
                stopping["now"] = True

            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            self.stdout.write("outbox worker started")
            dispatch.run_forever(options["interval"], should_stop=lambda: stopping["now"])
            return "outbox worker stopped"
        outcomes = dispatch.run_once(options["limit"])
        waiting = OutboxMessage.objects.filter(
            state__in=[MessageState.PENDING, MessageState.FAILED]
        ).count()
        dead = OutboxMessage.objects.filter(state=MessageState.DEAD).count()
        return (
            f"已发送 sent {outcomes.get(MessageState.SENT, 0)}，"
            f"待重试 will retry {outcomes.get(MessageState.FAILED, 0)}，"
            f"放弃 given up {outcomes.get(MessageState.DEAD, 0)}；"
            f"仍在等待 still waiting {waiting}，已放弃合计 dead in all {dead}"
        )
