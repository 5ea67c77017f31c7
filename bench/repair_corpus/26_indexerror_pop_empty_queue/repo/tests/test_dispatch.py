from dispatch.queue import JobQueue


def test_push_and_len():
    q = JobQueue()
    q.push({"id": 1})
    q.push({"id": 2})
    assert len(q) == 2
