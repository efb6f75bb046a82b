"""The creation list (创建名单; Zhejiang 培育名单) and what follows it: departments' opinions, the
public notice (公示) with its objections, publication into zones with their plans, Zhejiang's
acceptance assessment (培育验收考核), and the public pages and API of the published lists.

Every move goes through ``pilot_zones.lifecycle`` with the programme's switches: a list's status
is read as the life-cycle state its proposed applications are in, so the list and its
applications can never disagree about what may happen next.
"""
