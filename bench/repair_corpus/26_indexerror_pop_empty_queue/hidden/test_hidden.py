from dispatch.queue import JobQueue


def test_fifo_then_none():
    q = JobQueue()
    q.push({"id": 1})
    q.push({"id": 2})
    assert q.next_job() == {"id": 1}
    assert q.next_job() == {"id": 2}
    assert q.next_job() is None
    assert len(q) == 0
