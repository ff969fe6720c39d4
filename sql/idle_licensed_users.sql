-- Licensed, active users who neither hosted nor joined a meeting in the synced days: candidates
-- for a cheaper license. Only as good as the days you synced (see meetings_per_day.sql).
SELECT
    u.email,
    u.dept AS department,
    u.last_login_time
FROM main.zoom_users AS u
WHERE u.status = 'active'
    AND u.type = 2
    AND u.id NOT IN (SELECT host_id FROM main.meeting_reports WHERE host_id IS NOT NULL)
    AND u.id NOT IN (SELECT id FROM main.past_participants WHERE id IS NOT NULL)
ORDER BY u.last_login_time NULLS FIRST, u.email;
