-- Meetings with people from outside the account (Zoom's internal_user = false), most guests first.
-- A person is counted once per meeting however often they rejoined (by e-mail, else by name).
SELECT
    m.report_date,
    m.uuid AS meeting_uuid,
    m.topic,
    m.user_email AS host_email,
    count(DISTINCT coalesce(nullif(p.user_email, ''), p.name))
        FILTER (WHERE p.internal_user = false) AS external_guests,
    count(DISTINCT coalesce(nullif(p.user_email, ''), p.name)) AS people
FROM main.meeting_reports AS m
JOIN main.past_participants AS p ON p.meeting_uuid = m.uuid
GROUP BY ALL
HAVING external_guests > 0
ORDER BY external_guests DESC, m.report_date, meeting_uuid;
