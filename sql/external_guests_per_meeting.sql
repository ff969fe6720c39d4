-- Meetings with people from outside the account (no session marked internal_user by Zoom), most
-- guests first. People are meeting_attendance's: by user id, else e-mail, else display name.
SELECT
    m.report_date,
    m.uuid AS meeting_uuid,
    m.topic,
    m.user_email AS host_email,
    count(*) FILTER (WHERE a.internal = false) AS external_guests,
    count(*) AS people
FROM main.meeting_reports AS m
JOIN main.meeting_attendance AS a ON a.meeting_uuid = m.uuid
GROUP BY ALL
HAVING external_guests > 0
ORDER BY external_guests DESC, m.report_date, meeting_uuid;
