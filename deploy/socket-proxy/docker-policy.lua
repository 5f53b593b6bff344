-- What the platform may ask of the Docker daemon, decided per request by haproxy.cfg's
-- `http-request lua.docker_policy`. A request is forwarded only when this script sets
-- txn.docker_allowed; everything else is refused with 403 and txn.docker_refusal says why.
--
-- The rules follow what the platform really sends (src/main/java/dev/crucible/sandbox/Sandbox.java,
-- SandboxRun.java, ContainerPool.java, OrphanReaper.java, runtime/RuntimeImages.java, docker/DockerDaemon.java):
--   * ping, version, info; list containers; inspect and pull the configured runtime images;
--   * create a container only with the sandbox's settings (see check_create);
--   * copy-in, attach, start, wait, inspect, stats, top, kill, pause, unpause, rename and remove only on
--     containers that carry the installation label (see sandbox_container).
--
-- Settings (environment of the haproxy process):
--   CRUCIBLE_DOCKER_SOCKET        the real daemon's socket (default /var/run/docker.sock)
--   CRUCIBLE_PROXY_IMAGES         comma-separated image names a container may be created from and
--                                 that may be pulled, exactly as the platform sends them
--   CRUCIBLE_PROXY_RUNTIMES       comma-separated OCI runtimes a container may ask for (default
--                                 runc; add the gVisor runtime's name when the platform uses it)
--   CRUCIBLE_PROXY_GUEST_RUNTIMES comma-separated runtimes with a kernel of their own (default
--                                 runsc): only under one of them may a container run as root
--                                 (0:0, the guest kernel's), adding no capability but SETUID,
--                                 SETGID and KILL
--   CRUCIBLE_PROXY_INSTALLATION   optional: the crucible.installation label must be this value
--
-- JSON comes from Debian's lua-cjson. The daemon decodes with Go's encoding/json, which matches
-- field names case-insensitively (also folding the non-ASCII 'ſ' and 'K') and, for a key given
-- twice, merges the two objects where cjson keeps only the last; so keys given twice are refused
-- (has_repeated_keys) and the checks look at keys the way Go does (fields()).

local cjson = require("cjson")

local INSTALLATION_LABEL = "crucible.installation"

local function env_list(name, default)
    local set = {}
    for item in (os.getenv(name) or default):gmatch("[^,%s]+") do
        set[item] = true
    end
    return set
end

local DOCKER_SOCKET = "unix@" .. (os.getenv("CRUCIBLE_DOCKER_SOCKET") or "/var/run/docker.sock")
local IMAGES = env_list("CRUCIBLE_PROXY_IMAGES", "crucible-runtime/python:3.11,crucible-runtime/node:18")
local RUNTIMES = env_list("CRUCIBLE_PROXY_RUNTIMES", "runc")
-- Runtimes with a kernel of their own (gVisor): there the launcher runs as that kernel's root
-- with SETUID, SETGID and KILL only, and the program as another user (Sandbox.separatesUsers).
local GUEST_RUNTIMES = env_list("CRUCIBLE_PROXY_GUEST_RUNTIMES", "runsc")
local GUEST_ROOT_CAPS = {SETUID = true, SETGID = true, KILL = true}
local INSTALLATION = os.getenv("CRUCIBLE_PROXY_INSTALLATION")
if INSTALLATION == "" then
    INSTALLATION = nil
end

-- A refusal carries its reason up to docker_policy, which turns it into txn.docker_refusal.
local Refused = {}
local function refuse(reason)
    error(setmetatable({reason = reason}, Refused), 0)
end

---------------------------------------------------------------------------------------------------
-- JSON values the way Go sees them

local function is_null(v)
    return v == nil or v == cjson.null
end

-- Go's zero value (or JSON null): false, 0, "", and arrays or objects holding only zero values.
-- A key that this policy does not know is accepted only with such a value, because decoding it
-- changes nothing in the daemon's configuration.
local function is_zero(v)
    if is_null(v) or v == false or v == 0 or v == "" then
        return true
    end
    if type(v) == "table" then
        for _, item in pairs(v) do
            if not is_zero(item) then
                return false
            end
        end
        return true
    end
    return false
end

-- The fields of a JSON object that Go decodes into a struct, by lower-case name. Keys must be
-- plain ASCII identifiers: Go folds 'ſ' to 's' and the Kelvin sign to 'k', so "Bindſ" would be
-- Binds to the daemon. Two keys with the same lower-case name are refused: which one Go keeps
-- depends on their order, and the check must see exactly the value the daemon will use.
local function fields(object, where)
    if type(object) ~= "table" then
        refuse(where .. " must be a JSON object")
    end
    local result, spelled = {}, {}
    for key, value in pairs(object) do
        if type(key) ~= "string" or not key:match("^[A-Za-z][A-Za-z0-9_]*$") then
            refuse(where .. " has an unexpected key")
        end
        local lower = key:lower()
        if result[lower] ~= nil then
            refuse(where .. " has the key " .. key .. " twice (in different case)")
        end
        result[lower] = value
        spelled[lower] = key
    end
    return result, spelled
end

-- The number of object members in valid JSON text: the colons outside strings.
local function members_in_text(text)
    local count, i = 0, 1
    while true do
        local at = text:find('[":]', i)
        if at == nil then
            return count
        end
        if text:byte(at) == 58 then -- ':'
            count = count + 1
            i = at + 1
        else
            -- skip the string up to its closing quote (the text is valid JSON: it ends)
            local j = at + 1
            while true do
                local q = text:find('["\\]', j)
                if text:byte(q) == 92 then -- a backslash escapes the next character
                    j = q + 2
                else
                    i = q + 1
                    break
                end
            end
        end
    end
end

-- The number of object members cjson kept (objects have string keys, arrays integer ones).
local function members_decoded(v)
    if type(v) ~= "table" then
        return 0
    end
    local count = 0
    for key, item in pairs(v) do
        if type(key) == "string" then
            count = count + 1
        end
        count = count + members_decoded(item)
    end
    return count
end

-- True when some object repeats a key: {"HostConfig": {"Privileged": true}, "HostConfig": {...}}
-- is checked by cjson as its last HostConfig alone but is privileged to the daemon.
local function has_repeated_keys(text, decoded)
    return members_in_text(text) ~= members_decoded(decoded)
end

local function is_string_list(v)
    if type(v) == "string" then
        return true
    end
    if type(v) ~= "table" then
        return false
    end
    for _, item in pairs(v) do
        if type(item) ~= "string" then
            return false
        end
    end
    return true
end

local function is_string_map(v)
    if type(v) ~= "table" then
        return false
    end
    for key, item in pairs(v) do
        if type(key) ~= "string" or type(item) ~= "string" then
            return false
        end
    end
    return true
end

local function is_absolute_path(p)
    return type(p) == "string" and p:match("^/[%w_./-]*$") ~= nil and not p:find("%.%.")
end

-- true when every key of the table is a plain absolute path (a mount point inside the container)
local function mount_points(v)
    for path in pairs(v) do
        if not is_absolute_path(path) then
            return "has a mount point that is not a plain absolute path"
        end
    end
    return true
end

-- Applies each key's rule (null counts as absent: Go leaves the field at its default); a key
-- without a rule must be zero.
local function check_fields(object, where, rules)
    local values, spelled = fields(object, where)
    for key, value in pairs(values) do
        local rule = rules[key]
        if rule then
            if not is_null(value) then
                local ok = rule(value)
                if ok ~= true then
                    refuse(where .. "." .. spelled[key] .. " " .. (ok or "is not what the sandbox sets"))
                end
            end
        elseif not is_zero(value) then
            refuse(where .. "." .. spelled[key] .. " is not allowed (the sandbox does not set it)")
        end
    end
end

-- Keys whose absence (or null) would leave the daemon's default, which the sandbox overrides.
local function require_fields(object, where, names)
    local values = fields(object, where)
    for name, what in pairs(names) do
        if is_null(values[name]) then
            refuse(where .. " must set " .. what)
        end
    end
end

local function any(_)
    return true
end

local function boolean(v)
    return type(v) == "boolean"
end

local function number(v)
    return type(v) == "number"
end

local function string_value(v)
    return type(v) == "string"
end

local function string_list(v)
    return is_string_list(v)
end

local function absent(_)
    -- an empty list is not the default for these: "MaskedPaths": [] unmasks /proc/kcore and others
    return "must not be set"
end

---------------------------------------------------------------------------------------------------
-- Container create: only the sandbox's settings

-- Calls visit(name) for each capability of a list (or of a single name) until it answers; returns
-- that answer, or nil when it never answered.
local function each_capability(v, visit)
    if type(v) == "string" then
        v = {v}
    end
    if not is_string_list(v) then
        return "must be a list of capabilities"
    end
    for _, cap in pairs(v) do
        local answer = visit(cap)
        if answer ~= nil then
            return answer
        end
    end
    return nil
end

-- The one mount the sandbox makes: the named volume that holds the launcher for pooled containers
-- (crucible-launcher-<digest of the launcher>) at /crucible. A volume lives in the daemon's own
-- storage, never a host path; no bind, tmpfs or volume options, no other source or target.
local function launcher_mounts(v)
    if type(v) ~= "table" or #v ~= 1 then
        return "may hold the launcher volume only"
    end
    check_fields(v[1], "HostConfig.Mounts[]", {
        type = function(t)
            return t == "volume" or "must be volume"
        end,
        source = function(name)
            return (type(name) == "string" and name:match("^crucible%-launcher%-%x+$") ~= nil)
                or "must be the launcher volume (crucible-launcher-<digest>)"
        end,
        target = function(path)
            return path == "/crucible" or "must be /crucible"
        end,
        readonly = boolean,
    })
    require_fields(v[1], "HostConfig.Mounts[]", {type = "Type", source = "Source", target = "Target"})
    return true
end

-- HostConfig as Sandbox.createCommand builds it. Every key not listed must be zero, which refuses
-- among others Privileged, Binds, other Mounts, VolumesFrom, Links, Devices, DeviceRequests,
-- DeviceCgroupRules, PidMode, UsernsMode, UTSMode, Sysctls, CgroupParent, VolumeDriver,
-- OomKillDisable, PortBindings, ExtraHosts, Dns and GroupAdd.
local HOST_CONFIG = {
    networkmode = function(v)
        return v == "none" or "must be none"
    end,
    memory = number,
    memoryswap = number,
    nanocpus = number,
    pidslimit = number,
    readonlyrootfs = boolean,
    mounts = launcher_mounts,
    tmpfs = function(v)
        if not is_string_map(v) then
            return "must map paths to options"
        end
        return mount_points(v)
    end,
    capadd = function(v)
        return each_capability(v, function(cap)
            if not GUEST_ROOT_CAPS[cap:upper():gsub("^CAP_", "")] then
                return "may add SETUID, SETGID and KILL only"
            end
        end) or true
    end,
    capdrop = function(v)
        return each_capability(v, function(cap)
            if cap == "ALL" then
                return true
            end
        end) or "must drop ALL"
    end,
    securityopt = function(v)
        -- exactly the sandbox's set: no seccomp=unconfined, apparmor=unconfined, label=disable
        if type(v) ~= "table" or #v == 0 then
            return "must be [\"no-new-privileges\"]"
        end
        for _, opt in ipairs(v) do
            if opt ~= "no-new-privileges" and opt ~= "no-new-privileges:true" and opt ~= "no-new-privileges=true" then
                return "must be [\"no-new-privileges\"]"
            end
        end
        return true
    end,
    init = boolean,
    ulimits = function(v)
        if type(v) ~= "table" then
            return "must be a list"
        end
        for _, ulimit in pairs(v) do
            check_fields(ulimit, "HostConfig.Ulimits[]", {name = string_value, soft = number, hard = number})
        end
        return true
    end,
    logconfig = function(v)
        local log_config = fields(v, "HostConfig.LogConfig")
        if log_config.type ~= "none" then
            return "must have Type none (output is read from the attached streams)"
        end
        check_fields(v, "HostConfig.LogConfig", {type = string_value})
        return true
    end,
    autoremove = boolean,
    runtime = function(v)
        return v == "" or RUNTIMES[v] == true or "is not a configured runtime (CRUCIBLE_PROXY_RUNTIMES)"
    end,
    -- the daemon's defaults, which a client may also spell out
    ipcmode = function(v)
        return v == "" or v == "private" or v == "none" or "must be private"
    end,
    cgroupnsmode = function(v)
        return v == "" or v == "private" or "must be private"
    end,
    consolesize = any,
    maskedpaths = absent,
    readonlypaths = absent,
}

-- The container's Config as Sandbox.createCommand builds it. Go also reads HostConfig fields from
-- this top level (a deprecated form), so unknown keys here must be zero just the same.
local CONTAINER_CONFIG = {
    hostname = string_value,
    domainname = string_value,
    user = function(v)
        if v == "0:0" then
            return true -- a guest kernel's root only: see check_create
        end
        if type(v) ~= "string" or v == "" or v:match("^root") or v:match("^0+$") or v:match("^0+:") then
            return "must name an unprivileged user"
        end
        return true
    end,
    attachstdin = boolean,
    attachstdout = boolean,
    attachstderr = boolean,
    tty = boolean,
    openstdin = boolean,
    stdinonce = boolean,
    env = string_list,
    cmd = string_list,
    entrypoint = string_list,
    workingdir = string_value,
    networkdisabled = boolean,
    stopsignal = string_value,
    stoptimeout = number,
    image = function(v)
        return IMAGES[v] == true or "is not one of the runtime images (CRUCIBLE_PROXY_IMAGES)"
    end,
    labels = function(v)
        if not is_string_map(v) then
            return "must map names to strings"
        end
        local installation = v[INSTALLATION_LABEL]
        if installation == nil or installation == "" then
            return "must carry the " .. INSTALLATION_LABEL .. " label"
        end
        if INSTALLATION and installation ~= INSTALLATION then
            return "must carry this installation's " .. INSTALLATION_LABEL .. " label"
        end
        return true
    end,
    volumes = function(v)
        -- anonymous volumes only (/code): the keys are mount points inside the container
        if type(v) ~= "table" then
            return "must be an object"
        end
        return mount_points(v)
    end,
    hostconfig = function(v)
        check_fields(v, "HostConfig", HOST_CONFIG)
        return true
    end,
    maskedpaths = absent,
    readonlypaths = absent,
}

local function check_create(txn)
    local size = txn.f:req_body_size()
    local body = txn.f:req_body()
    -- haproxy holds at most one buffer (16 kB) of body; the sandbox's create is about 1.5 kB
    if body == nil or size == nil or #body ~= size then
        refuse("the create body is incomplete or larger than the proxy's buffer")
    end
    local ok, config = pcall(cjson.decode, body)
    if not ok then
        refuse("the create body is not valid JSON")
    end
    if has_repeated_keys(body, config) then
        refuse("the create body repeats a key")
    end
    -- without these the daemon's defaults would apply: a bridged network, all default
    -- capabilities, root, no label (and without HostConfig, Go reads it from the top level)
    require_fields(config, "Config", {
        image = "Image (a runtime image)",
        user = "User (an unprivileged user)",
        labels = "Labels (with " .. INSTALLATION_LABEL .. ")",
        hostconfig = "HostConfig",
    })
    require_fields(fields(config, "Config").hostconfig, "HostConfig", {
        networkmode = "NetworkMode none",
        capdrop = "CapDrop ALL",
        securityopt = "SecurityOpt no-new-privileges",
    })
    check_fields(config, "Config", CONTAINER_CONFIG)
    -- root, and added capabilities, only for the launcher under a kernel of the sandbox's own
    local values = fields(config, "Config")
    local host = fields(values.hostconfig, "HostConfig")
    local guest = type(host.runtime) == "string" and GUEST_RUNTIMES[host.runtime] == true
    if values.user == "0:0" and not guest then
        refuse("Config.User 0:0 only under a runtime with a kernel of its own (CRUCIBLE_PROXY_GUEST_RUNTIMES)")
    end
    if values.user ~= "0:0" and not is_zero(host.capadd) then
        refuse("HostConfig.CapAdd only for a guest kernel's root (User 0:0 under CRUCIBLE_PROXY_GUEST_RUNTIMES)")
    end
end

---------------------------------------------------------------------------------------------------
-- Calls on one container: only the installation's sandbox containers

-- Looks the container up on the daemon and returns its full id if it is a sandbox container. The
-- forwarded request is rewritten to that id, so a name or id prefix cannot come to mean another
-- container between this check and the call. No cache: names are reused after removal, and an
-- inspect costs about a millisecond.
local function sandbox_container(txn, name)
    local response = core.httpclient():get{
        url = "http://docker/containers/" .. name .. "/json",
        dst = DOCKER_SOCKET,
        timeout = 10000,
    }
    -- the daemon failed or is unreachable (haproxy's client then answers 503): a 500, which the
    -- platform counts as a failing daemon, not as a refusal of what it asked
    if response == nil or response.status == nil or response.status == 0 or response.status >= 500 then
        txn:set_var("txn.docker_unavailable", "cannot look the container up")
        return nil
    end
    if response.status == 404 then
        txn:set_var("txn.docker_missing", name)
        return nil
    end
    if response.status ~= 200 then
        refuse("cannot look the container up (" .. response.status .. ")")
    end
    local ok, info = pcall(cjson.decode, response.body)
    if not ok or type(info) ~= "table" or type(info.Id) ~= "string" or not info.Id:match("^%x+$") then
        refuse("cannot read the container's description")
    end
    local labels = type(info.Config) == "table" and info.Config.Labels
    local installation = type(labels) == "table" and labels[INSTALLATION_LABEL]
    if type(installation) ~= "string" or installation == "" then
        refuse("not a sandbox container (no " .. INSTALLATION_LABEL .. " label)")
    end
    if INSTALLATION and installation ~= INSTALLATION then
        refuse("a sandbox container of another installation")
    end
    return info.Id
end

local CONTAINER_CALLS = {
    -- archive: reading the launcher volume back through a container that mounts it
    GET = {json = true, stats = true, top = true, archive = true},
    -- rename: a pooled container takes the name of the evaluation it is handed
    POST = {start = true, wait = true, attach = true, kill = true, pause = true, unpause = true, rename = true},
    PUT = {archive = true},
}

---------------------------------------------------------------------------------------------------
-- Queries

local function url_decode(s)
    return (s:gsub("%+", " "):gsub("%%(%x%x)", function(hex)
        return string.char(tonumber(hex, 16))
    end))
end

-- The query's parameters; a name given twice is refused (Go takes the first, a reader may not).
local function query_params(query)
    local params = {}
    if query == nil or query == "" then
        return params
    end
    if query:find(";") then
        refuse("a ';' in the query")
    end
    for pair in query:gmatch("[^&]+") do
        local key, value = pair:match("^([^=]*)=?(.*)$")
        key = url_decode(key)
        if params[key] ~= nil then
            refuse("the query parameter " .. key .. " twice")
        end
        params[key] = url_decode(value)
    end
    return params
end

-- Only the runtime images are pulled (no import from a URL or from the request body).
local function check_pull(query)
    local image, tag
    for key, value in pairs(query_params(query)) do
        if key == "fromImage" then
            image = value
        elseif key == "tag" then
            tag = value
        elseif key ~= "platform" then
            refuse("the pull parameter " .. key .. " is not allowed")
        end
    end
    if image == nil then
        refuse("a pull must name fromImage")
    end
    if tag ~= nil and tag ~= "" then
        image = image .. ":" .. tag
    end
    if not IMAGES[image] then
        refuse("only the runtime images may be pulled (CRUCIBLE_PROXY_IMAGES)")
    end
end

---------------------------------------------------------------------------------------------------
-- The decision

local function has_body(txn)
    local headers = txn.http:req_get_headers()
    if headers["transfer-encoding"] ~= nil then
        return true
    end
    local length = headers["content-length"]
    return length ~= nil and length[0] ~= "0"
end

-- Decides one request; returns normally only when it is allowed.
local function decide(txn)
    local method = txn.f:method()
    local full_path = txn.f:path()
    if full_path:find("\\", 1, true) or full_path:find("//", 1, true) or full_path:find("/.", 1, true) then
        refuse("a non-canonical path")
    end
    -- the API version prefix is optional; versions before 1.24 are refused because they still
    -- apply a HostConfig sent with POST /containers/{id}/start (privileged, binds...) in 20.10
    local prefix, major, minor, path = full_path:match("^(/v(%d+)%.(%d+))(/.*)$")
    if prefix then
        if tonumber(major) ~= 1 or tonumber(minor) < 24 then
            refuse("API versions before 1.24 are not allowed")
        end
    else
        prefix, path = "", full_path
    end
    local query = txn.f:query()

    -- only create carries JSON and only copy-in carries a (tar) body: no other call may smuggle
    -- a configuration in its body
    local is_create = method == "POST" and path == "/containers/create"
    local is_archive = method == "PUT" and path:match("^/containers/[^/]+/archive$") ~= nil
    if not is_create and not is_archive and has_body(txn) then
        refuse("a request body on " .. method .. " " .. path)
    end

    -- image inspect: docker-java sends the name encoded (crucible-runtime%2Fpython:3.11); the
    -- decoded name must be exactly a runtime image, so no decoded path can route elsewhere
    local image = method == "GET" and path:match("^/images/(.+)/json$")
    if image then
        image = url_decode(image)
        if not IMAGES[image] then
            refuse("only the runtime images may be inspected (CRUCIBLE_PROXY_IMAGES)")
        end
        return
    end
    -- nothing else is encoded: what is checked here is what the daemon routes
    if path:find("%", 1, true) then
        refuse("an encoded path")
    end

    if (method == "GET" or method == "HEAD") and path == "/_ping" then
        return
    end
    if method == "GET" and (path == "/version" or path == "/info" or path == "/containers/json") then
        return
    end

    if method == "POST" and path == "/images/create" then
        return check_pull(query)
    end
    if is_create then
        return check_create(txn)
    end

    local name, call = path:match("^/containers/([%w][%w_.-]*)/(%a+)$")
    if name == nil and method == "DELETE" then
        name = path:match("^/containers/([%w][%w_.-]*)$")
    end
    local allowed_calls = CONTAINER_CALLS[method]
    if name and ((call == nil and method == "DELETE") or (call and allowed_calls and allowed_calls[call])) then
        local id = sandbox_container(txn, name)
        if id then
            txn.http:req_set_path(prefix .. "/containers/" .. id .. (call and ("/" .. call) or ""))
            return
        end
        return false
    end
    refuse(method .. " " .. path .. " is not a call the platform makes")
end

core.register_action("docker_policy", {"http-req"}, function(txn)
    local ok, outcome = pcall(decide, txn)
    if ok then
        if outcome ~= false then
            txn:set_var("txn.docker_allowed", true)
        end
        return
    end
    local reason
    if getmetatable(outcome) == Refused then
        reason = outcome.reason
    else
        -- a bug here must refuse, never allow
        reason = "internal error in the policy"
        core.Alert("docker-policy: " .. tostring(outcome))
    end
    -- the reason goes into a JSON message: keep it to characters that need no escaping
    reason = reason:gsub("[^%w%s%.,:;_/%-%(%)%[%]=]", "")
    txn:set_var("txn.docker_refusal", reason)
    core.Warning("docker-policy: refused " .. txn.f:method() .. " " .. txn.f:path() .. ": " .. reason)
end, 0)
