/** A user's named module on the module path: Parley's API and the reference node, nothing else. */
module dev.parley.smoke {
    requires dev.parley.api;
    requires dev.parley.node;
}
