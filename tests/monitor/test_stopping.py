import os
import signal
import threading

from monitor.stopping import STOP_SIGNALS, on_stop_signals


def test_a_stop_signal_reaches_the_handler_inside_the_block_and_the_old_one_after() -> None:
    received: list[int] = []
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    with on_stop_signals(lambda signum, _frame: received.append(signum)):
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)
    assert received == [signal.SIGTERM, signal.SIGINT]
    assert {signum: signal.getsignal(signum) for signum in STOP_SIGNALS} == before


def test_outside_the_main_thread_the_block_runs_with_the_handlers_it_has() -> None:
    before = signal.getsignal(signal.SIGTERM)
    seen: list[object] = []

    def work() -> None:
        with on_stop_signals(lambda _signum, _frame: None):
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [before]
