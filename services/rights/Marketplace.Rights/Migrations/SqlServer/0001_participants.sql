-- Rights' read model of admitted participants, kept from catalog's events.
CREATE TABLE rights.participants (
    id            uniqueidentifier  NOT NULL CONSTRAINT PK_participants PRIMARY KEY NONCLUSTERED,
    name          nvarchar(200)     NOT NULL,
    jurisdiction  varchar(16)       NOT NULL,
    roles         int               NOT NULL,
    qualification varchar(16)       NULL,
    status        varchar(16)       NOT NULL,
    version       int               NOT NULL,
    updated_at    datetimeoffset(7) NOT NULL
);
GO
