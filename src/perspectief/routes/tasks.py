"""Background work of routes and support at work.

There is none at the moment: durable work is no longer presumed by a daily job at six months
but confirmed by someone who knows (``services.support.work_confirm``); a placement past six
months without a confirmation is *not confirmed*, which follows from its dates when it is
read."""
