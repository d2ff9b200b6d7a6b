OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float[64] phi;
qubit[2] q;
h q[0];
cx q[0], q[1];
ry(2 * theta + pi / 4) q[1];
rz(-phi / 2) q[0];
