package runtime

// Version is this runtime's release, in semantic-versioning form. It is also
// sent in the default User-Agent ("connectorgen-runtime/" + Version).
const Version = "0.9.0"
